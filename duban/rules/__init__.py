"""Pure rules over dates and states; they take `today` and touch no database."""
