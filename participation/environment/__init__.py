"""Open environmental data: air-quality stations, PM2.5 readings, fire hotspots and districts."""
