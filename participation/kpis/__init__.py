"""Joint KPIs (ตัวชี้วัดร่วม): targets, measurements entered or derived from open data, status."""
