"""Share pages for anyone with a link (`share`), downloads (`downloads`) and the compare page (`compare`)."""
