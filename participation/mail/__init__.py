"""E-mail: the outbox, sending it over SMTP with retries, digests and unsubscribing."""
