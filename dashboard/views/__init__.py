"""Pages (`pages`), the JSON their scripts fetch (`data`) and one-click actions (`actions`)."""
