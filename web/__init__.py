"""The web server: JSON API, feeds and browse page over the archive (``vnnews serve``)."""
