"""Free-text names -> canonical actors, equipment and places."""
