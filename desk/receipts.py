"""Receipts anyone can verify (电子签章): the bureau signs every filing with its Ed25519 key.

What is signed: the reference, the kind, the department the request was filed with and the
filing time (UTC, microseconds), as the bytes

    sunshine-receipt-v1\\n{reference}\\n{kind}\\n{department slug}\\n{filed_at}

The signature as text: URL-safe base64 without padding of the 64-byte Ed25519 signature followed
by the 4-byte key id (the first bytes of the SHA-256 of the raw public key), 91 characters. The
key id lets old receipts be verified after the key is rotated: the current key comes from
`PORTAL_SIGNING_KEY_FILE` (PEM, PKCS#8), earlier public keys from `PORTAL_SIGNING_OLD_KEYS_DIR`
(*.pem; docs/deployment.md "Receipt signing key"). The short code shown to people is the
signature's first 16 characters in groups of four; verification always takes the full signature.

Verification looks the request up by reference and checks the signature against what the
bureau recorded: a changed character in either value fails. It answers nothing personal.

Links in receipts use the portal's public address: `PORTAL_BASE_URL` when set, else the address
of the request being answered (its host is checked against ALLOWED_HOSTS by Django), else
`WAGTAILADMIN_BASE_URL` (docs/deployment.md).
"""

import base64
import binascii
import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

SIGNATURE_BYTES = 64
KEY_ID_BYTES = 4
SIGNATURE_CHARS = 91  # base64url of 68 bytes, no padding
CONTEXT = b"sunshine-receipt-v1"

_lock = threading.Lock()
_cache = {}


# --- keys --------------------------------------------------------------------------------------


def _serialization():
    from cryptography.hazmat.primitives import serialization

    return serialization


def generate_key_file(path):
    """Write a new Ed25519 private key (PEM, PKCS#8, readable by the owner only)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    s = _serialization()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def public_pem(private_key):
    s = _serialization()
    return private_key.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo)


def key_id(public_key):
    s = _serialization()
    raw = public_key.public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_BYTES]


def _key_file():
    path = getattr(settings, "PORTAL_SIGNING_KEY_FILE", None)
    if not path:
        raise ImproperlyConfigured("PORTAL_SIGNING_KEY_FILE is not set")
    path = Path(path)
    if not path.exists():
        if not getattr(settings, "PORTAL_SIGNING_KEY_GENERATE", False):
            raise ImproperlyConfigured(f"PORTAL_SIGNING_KEY_FILE {path} does not exist")
        try:
            generate_key_file(path)
        except FileExistsError:  # another process generated it first
            pass
    return path


def _stamp(path):
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def signing_key():
    """The current private key (read again when its file changes)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _key_file()
    stamp = _stamp(path)
    with _lock:
        cached = _cache.get("signing")
        if cached and cached[0] == stamp:
            return cached[1]
        key = _serialization().load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{path} is not an Ed25519 private key")
        _cache["signing"] = (stamp, key)
        return key


def verification_keys():
    """Key id → public key: the current key and every earlier one kept for old receipts."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    current = signing_key().public_key()
    keys = {key_id(current): current}
    directory = getattr(settings, "PORTAL_SIGNING_OLD_KEYS_DIR", None)
    if directory and Path(directory).is_dir():
        s = _serialization()
        for path in sorted(Path(directory).glob("*.pem")):
            data = path.read_bytes()
            try:
                key = s.load_pem_public_key(data)
            except ValueError:
                key = s.load_pem_private_key(data, password=None)
                key = key.public_key() if isinstance(key, Ed25519PrivateKey) else None
            if isinstance(key, Ed25519PublicKey):
                keys.setdefault(key_id(key), key)
    return keys


# --- what is signed ----------------------------------------------------------------------------


def filed_department(inquiry):
    """The department the request was filed with (a transfer moves it later; the first
    transfer's timeline entry says where it came from)."""
    from .choices import EntryKind

    first = inquiry.timeline.filter(kind=EntryKind.TRANSFER).order_by("created_at", "pk").first()
    if first is not None and (first.data or {}).get("from"):
        return first.data["from"]
    return inquiry.department.slug


def _utc(moment):
    import datetime

    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def message(reference, kind, department, filed_at):
    return b"\n".join([CONTEXT, *(str(part).encode() for part in (reference, kind, department, _utc(filed_at)))])


def _encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text):
    """The bytes of a signature text, or None. Only the one canonical spelling is accepted (a
    changed last character that base64 would ignore is still a change)."""
    if not isinstance(text, str) or len(text) != SIGNATURE_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != SIGNATURE_BYTES + KEY_ID_BYTES or _encode(raw) != text:
        return None
    return raw


def sign(inquiry):
    """The receipt signature of a filed inquiry (deterministic: Ed25519 signs the same bytes
    the same way, so signing again gives the same text)."""
    key = signing_key()
    data = message(inquiry.reference, inquiry.kind, filed_department(inquiry), inquiry.created_at)
    return _encode(key.sign(data) + key_id(key.public_key()))


def verify(reference, signature):
    """{"valid": True, "reference", "kind", "department", "filed_at"} or {"valid": False}."""
    from cryptography.exceptions import InvalidSignature

    from .models import REFERENCE_RE, Inquiry

    invalid = {"valid": False}
    raw = _decode(signature)
    if raw is None or not isinstance(reference, str) or not REFERENCE_RE.match(reference):
        return invalid
    public_key = verification_keys().get(raw[SIGNATURE_BYTES:])
    inquiry = Inquiry.objects.select_related("department").filter(reference=reference).first()
    if public_key is None or inquiry is None:
        return invalid
    department = filed_department(inquiry)
    try:
        public_key.verify(
            raw[:SIGNATURE_BYTES], message(inquiry.reference, inquiry.kind, department, inquiry.created_at)
        )
    except InvalidSignature:
        return invalid
    return {
        "valid": True,
        "reference": inquiry.reference,
        "kind": inquiry.kind,
        "department": department,
        "filed_at": timezone.localtime(inquiry.created_at).isoformat(),
    }


def short_code(signature):
    """The first 16 characters in groups of four, separated by spaces (not "-", which is one of
    the signature's own characters)."""
    head = signature[:16]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


# --- links -------------------------------------------------------------------------------------


def base_url(request=None):
    """The portal's public address: PORTAL_BASE_URL, else the request's (host validated against
    ALLOWED_HOSTS by `get_host`), else WAGTAILADMIN_BASE_URL."""
    if getattr(settings, "PORTAL_BASE_URL", ""):
        return settings.PORTAL_BASE_URL.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def verify_path(reference, signature, lang="zh-hans"):
    with translation.override(lang):
        path = reverse("receipt_verify")
    return f"{path}?{urlencode({'ref': reference, 'sig': signature})}"


def verify_url(reference, signature, lang="zh-hans", base=None):
    return (base or base_url()) + verify_path(reference, signature, lang)


def qr_svg(data, title=""):
    """A QR code of `data` as inline SVG (drawn on the server; no script, no external file)."""
    import segno

    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=3, border=2, dark="#000", light="#fff", title=title or None, svgclass="receipt-qr")
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308 - segno's markup


def receipt(inquiry, lang="zh-hans", base=None):
    """Everything a receipt shows besides the request itself."""
    signature = sign(inquiry)
    url = verify_url(inquiry.reference, signature, lang, base)
    return {"signature": signature, "short_code": short_code(signature), "verify_url": url}


def check_base_url(app_configs=None, **kwargs):
    """System check: PORTAL_BASE_URL's host must be one the portal answers to."""
    from urllib.parse import urlsplit

    from django.core import checks
    from django.http.request import validate_host

    base = getattr(settings, "PORTAL_BASE_URL", "")
    if base and not validate_host(urlsplit(base).hostname or "", settings.ALLOWED_HOSTS):
        return [checks.Error("PORTAL_BASE_URL's host is not in ALLOWED_HOSTS", id="desk.E001")]
    return []
