# Civic — English.
# The app's frame: name, navigation, settings, home page.
app-name = Civic
app-tagline = Public services in one app
skip-to-content = Skip to main content
nav-home = Home
nav-back = Back
settings-language = Language
settings-text-size = Text size
text-size-normal = Normal
text-size-large = Large
text-size-largest = Largest
home-heading = What do you need to do?
home-features = Services
error-generic = Something went wrong: { $message }
loading = Loading…

page-not-found = This page is not in the app.
