"""Accounts: the user model, django-allauth (email login, rate limits), TOTP for staff, and
the session's length."""

from __future__ import annotations

import environ

env = environ.Env()

AUTH_USER_MODEL = "coalition.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "coalition.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "coalition.forms.SignupForm"}  # asks for the full name
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coalition Portal] "
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are visible: failed logins are
    # limited per IP and per account; password reset mails per address.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Coalition Portal"
# Accept the code of the 30-second step just before or after the server's: a code typed as
# its step ends, or a phone whose clock drifts a little, still works. A used code cannot be
# used again (allauth remembers it for the period).
MFA_TOTP_TOLERANCE = 1
# Staff roles (bureau, secretariat, administrators) must have TOTP set up; see
# coalition.middleware.StaffMFARequiredMiddleware.
COALITION_STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
