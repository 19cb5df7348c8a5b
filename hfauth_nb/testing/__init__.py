"""hfauth_nb."""
