"""Test helpers shared across the suite: real server processes and their databases."""
