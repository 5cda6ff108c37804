# Signing in with the electronic ID, and the account.
session-sign-in = Sign in
session-sign-in-again = Sign in again
session-account-label = { $name }'s account
session-expired = Your sign-in has expired. Please sign in again. Anything you are typing on this page stays as it is.
session-waiting = Sign in in the browser window that just opened. The app updates by itself when you are done.
session-browser-not-opened = The browser could not be opened. Copy the address below and open it in a browser to sign in.
session-link-label = Sign-in page address
session-dismiss = Close
session-try-again = Try again
account-heading = Account
account-name = Full name
account-citizen-id = Personal ID number
account-citizen-id-spoken = Personal ID number ending in { $digits }
account-citizen-id-missing = Not provided
account-renewal = Your sign-in is renewed automatically while the app is open. Procedure search and QR scanning work without signing in.
account-sign-out = Sign out
account-signed-out = You are not signed in.
