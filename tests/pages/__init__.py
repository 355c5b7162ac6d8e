"""The pages without a browser: console forms, the phone, languages, the phone's weight."""
