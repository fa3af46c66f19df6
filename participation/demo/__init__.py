"""The demo instance: the Lampang PM2.5 working group with invented people."""
