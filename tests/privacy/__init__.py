"""Privacy under the PDPA: the notice and consent, the data download and account erasure."""
