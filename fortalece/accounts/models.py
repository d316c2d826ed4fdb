from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    TRAINER = "trainer", _("Trainer")
    ME_OFFICER = "me_officer", _("M&E officer")
    FOCAL_POINT = "focal_point", _("Institution focal point")
    DONOR_VIEWER = "donor_viewer", _("Donor viewer")
    LEARNER = "learner", _("Learner")


class EmailUserManager(UserManager["User"]):
    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. People in the registry (``people.Person``) may or may not have one."""

    username = None  # type: ignore[assignment]
    # Redefined as unique: it is the sign-in identifier.
    email = models.EmailField(_("email address"), unique=True)  # type: ignore[misc]
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        choices=[("es", "Español"), ("en", "English")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class RoleAssignment(models.Model):
    """A role held by a user within one scope.

    An administrator holds no scope (everything). Every other role is scoped to exactly one
    country, state, programme or institution; a user may hold several assignments.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    country = models.ForeignKey(
        "geography.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("country"),
    )
    subdivision = models.ForeignKey(
        "geography.Subdivision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("state / subdivision"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("programme"),
    )
    institution = models.ForeignKey(
        "people.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("institution"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_one_scope",
                condition=(
                    Q(role="administrator")
                    & Q(country__isnull=True)
                    & Q(subdivision__isnull=True)
                    & Q(programme__isnull=True)
                    & Q(institution__isnull=True)
                )
                | (
                    ~Q(role="administrator")
                    & (
                        Q(
                            country__isnull=False,
                            subdivision__isnull=True,
                            programme__isnull=True,
                            institution__isnull=True,
                        )
                        | Q(
                            country__isnull=True,
                            subdivision__isnull=False,
                            programme__isnull=True,
                            institution__isnull=True,
                        )
                        | Q(
                            country__isnull=True,
                            subdivision__isnull=True,
                            programme__isnull=False,
                            institution__isnull=True,
                        )
                        | Q(
                            country__isnull=True,
                            subdivision__isnull=True,
                            programme__isnull=True,
                            institution__isnull=False,
                        )
                        | Q(
                            role="learner",
                            country__isnull=True,
                            subdivision__isnull=True,
                            programme__isnull=True,
                            institution__isnull=True,
                        )
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        scope = self.country or self.subdivision or self.programme or self.institution
        if scope:
            return str(scope)
        return str(_("own training") if self.role == Role.LEARNER else _("everywhere"))


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238 secret), confirmed with a first code.

    ``last_step`` is the time step of the last accepted code: a code of that step or an
    earlier one is refused, so a code cannot be used twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP #{self.pk}"


class RecoveryCode(models.Model):
    """A single-use code for when the phone is lost; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_sha256 = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_sha256"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code #{self.pk}"


class Passkey(models.Model):
    """A passkey (WebAuthn credential: a phone's screen lock, a fingerprint, a security key)
    used as the second factor.

    ``credential_data`` is the credential's public key data as the authenticator gave it
    (fido2's ``AttestedCredentialData``); no secret is stored. ``sign_count`` is the
    authenticator's counter at its last use: a later assertion with a counter that did not
    grow is refused (a cloned key), unless the authenticator keeps no counter (always 0).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("name"), max_length=80)
    credential_id = models.CharField(max_length=1400, unique=True)
    credential_data = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"passkey #{self.pk}"
