"""Optional outside services (Akismet, ...): each off unless configured, none ever required."""
