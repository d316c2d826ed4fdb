"""The demo accounts: one per role, each with a scope (listed in the README)."""

DEFAULT_PASSWORD = "Fortalece-demo-2026"  # noqa: S105 - published demo credentials
# Staff demo accounts need a second factor like real staff: they share this published
# authenticator key (README; `fortalece demo_code` prints the current code).
DEMO_TOTP_SECRET = "FORTALECEDEMOKEYFORTALECEDEMOKEY"  # noqa: S105 - published demo credentials

DEMO_ACCOUNTS = [
    # email, first name, last name, role, scope kind, scope key
    ("admin@demo.fortalece.org", "Ana", "Administradora", "administrator", None, None),
    ("manager@demo.fortalece.org", "Elena", "Márquez Robles", "programme_manager", "country", "MX"),
    (
        "michoacan@demo.fortalece.org",
        "Rosa",
        "Méndez Calderón",
        "programme_manager",
        "subdivision",
        "MX-MIC",
    ),
    (
        "trainer@demo.fortalece.org",
        "Daniela",
        "Solís Bautista",
        "trainer",
        "programme",
        "mx-vulnerable-groups",
    ),
    ("me@demo.fortalece.org", "Tomás", "Evaluador Ríos", "me_officer", "country", "MX"),
    (
        "focal@demo.fortalece.org",
        "Laura",
        "Enlace Pérez",
        "focal_point",
        "institution",
        "ssp-michoacan",
    ),
    (
        "donor@demo.fortalece.org",
        "Jon",
        "Donor",
        "donor_viewer",
        "programme",
        "mx-vulnerable-groups",
    ),
    ("learner@demo.fortalece.org", "Mariana", "López Torres", "learner", None, None),
]
