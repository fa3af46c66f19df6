"""Privacy under Thailand's PDPA: the versioned notice and consent, data export and erasure."""
