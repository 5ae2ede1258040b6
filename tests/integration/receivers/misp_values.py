"""MISP attribute value rules: the normalisation MISP applies before validating a value, then
the per-type format check.

Contract: normalize(type, value) returns the value as MISP would store it; check(type, value)
returns None when MISP accepts the (normalised) value, else MISP's error message. Rules follow
MISP's AttributeValidationTool (modifyBeforeValidation / validate) and the MispAttribute model
(value not empty, composite "a|b" format); types MISP checks only for new lines fall back to
that check.
"""
import ipaddress
import re

HASH_LENGTH = {
    "authentihash": 64, "md5": 32, "imphash": 32, "telfhash": 70, "sha1": 40,
    "git-commit-id": 40, "x509-fingerprint-md5": 32, "x509-fingerprint-sha1": 40,
    "x509-fingerprint-sha256": 64, "ja3-fingerprint-md5": 32, "jarm-fingerprint": 62,
    "hassh-md5": 32, "hasshserver-md5": 32, "pehash": 40, "sha224": 56, "sha256": 64,
    "sha384": 96, "sha512": 128, "sha512/224": 56, "sha512/256": 64, "sha3-224": 56,
    "sha3-256": 64, "sha3-384": 96, "sha3-512": 128,
}
_LOWER = set(HASH_LENGTH) | {"hostname", "vhash", "tlsh", "anonymised", "cdhash", "email",
                             "email-src", "email-dst", "target-email", "whois-registrant-email"}
_FREE = {"mutex", "process-state", "snort", "bro", "zeek", "community-id", "anonymised",
         "pattern-in-file", "pattern-in-traffic", "pattern-in-memory", "filename-pattern",
         "pgp-public-key", "pgp-private-key", "yara", "stix2-pattern", "sigma", "gene",
         "kusto-query", "mime-type", "identity-card-number", "cookie", "attachment",
         "malware-sample", "comment", "text", "other", "cpe", "email-attachment", "email-body",
         "email-header", "first-name", "middle-name", "last-name"}
_EMAILS = {"email", "email-src", "eppn", "email-dst", "target-email", "whois-registrant-email",
           "dns-soa-email", "jabber-id"}
_NUMERIC = {"bin", "cc-number", "bank-account-nr", "aba-rtn", "prtn", "phone-number",
            "whois-registrant-phone", "float"}
_DOMAIN = re.compile(r"^[A-Z0-9.\-_]+\.[A-Z0-9\-]{2,}$", re.I)
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_SSDEEP = re.compile(r"^([0-9]+):([0-9a-zA-Z/+]*):([0-9a-zA-Z/+]*)$")
_HTTP_METHODS = re.compile(
    r"(OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|"
    r"UNLOCK|VERSION-CONTROL|REPORT|CHECKOUT|CHECKIN|UNCHECKOUT|MKWORKSPACE|UPDATE|LABEL|MERGE|"
    r"BASELINE-CONTROL|MKACTIVITY|ORDERPATCH|ACL|PATCH|SEARCH)")
_PORT_MSG = "Port numbers have to be integers between 1 and 65535."
_IP_MSG = "IP address has an invalid format."
_FORMAT_MSG = ('Value not in the right type/format. Please double check the value or select '
               'type "other".')


_REFANG = ("domain", "hostname", "url", "uri", "link", "ip-src", "ip-dst", "domain|ip",
           "hostname|port", "email", "email-src", "email-dst")


def is_composite(attr_type):
    """MISP's composite types: every type with a "|", and malware-sample (filename|md5)."""
    return "|" in attr_type or attr_type == "malware-sample"


def refang(attr_type, value):
    """The part of MISP's refanging (ComplexTypeTool::refangValue) a sender may rely on."""
    if attr_type not in _REFANG:
        return value
    value = value.replace("[.]", ".").replace("(.)", ".").replace("[:]", ":")
    return re.sub(r"^h(xx|\[xx\])p", "http", value, flags=re.I)


def _ip_ok(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _norm_ip(text):
    ip, sep, rng = text.partition("/")
    try:
        ip = str(ipaddress.ip_address(ip))
    except ValueError:
        return text
    if sep and not ((rng == "32" and "." in ip) or (rng == "128" and ":" in ip)):
        return ip + "/" + rng
    return ip


def _digits(text):
    return text.isdigit() and text.isascii()


def _port_ok(text):
    return _digits(text) and 1 <= int(text) <= 65535


def normalize(attr_type, value):
    v = refang(attr_type, value.strip())
    if attr_type in ("ip-src", "ip-dst"):
        return _norm_ip(v)
    if attr_type in _LOWER:
        v = v.lower()
        return v.replace(":", "") if attr_type.startswith("x509-fingerprint") else v
    if attr_type == "domain":
        return v.lower().strip(".")
    if attr_type == "domain|ip" and "|" in v:
        d, _, ip = v.lower().partition("|")
        return d.strip(".") + "|" + _norm_ip(ip)
    if attr_type.startswith("filename|") and "|" in v:
        name, _, h = v.partition("|")
        return name + "|" + h.lower()
    if attr_type in ("http-method", "hex"):
        return v.upper()
    if attr_type in ("vulnerability", "weakness"):
        return v.replace("\u2013", "-").upper()
    if attr_type in ("ip-src|port", "ip-dst|port"):
        if v.count(":") < 2 and ":" in v:
            v = v.replace(":", "|", 1)
        if "|" in v:
            ip, _, port = v.partition("|")
            return _norm_ip(ip) + "|" + port
        return v
    if attr_type == "hostname|port":
        return v.lower().replace(":", "|")
    if attr_type in ("mac-address", "mac-eui-64"):
        flat = re.sub(r"[.:\- ]", "", v.lower())
        return ":".join(flat[i:i + 2] for i in range(0, len(flat), 2))
    if attr_type == "AS" and v[:2].upper() == "AS":
        return v[2:]
    return v


def _check_ip(v):
    if "/" in v:
        ip, _, rng = v.partition("/")
        if "/" in rng or not _digits(rng):
            return "Invalid CIDR notation value found."
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return _IP_MSG
        limit = 32 if addr.version == 4 else 128
        if int(rng) > limit:
            return ("Invalid CIDR notation value found, for IPv%d must be lower or equal %d."
                    % (addr.version, limit))
        return None
    return None if _ip_ok(v) else _IP_MSG


def check(attr_type, value):
    """MISP's message for an invalid value, or None."""
    v = value
    if not v.strip():
        return "Value cannot be empty."
    if len(v.encode("utf-8")) > 65535:
        return ("The entered string is too long and would get truncated. Please consider "
                "adding the data as an attachment instead")
    if is_composite(attr_type) and v.count("|") != 1:
        return "Composite type found but the value not in the composite (value1|value2) format."
    t = attr_type
    if t in HASH_LENGTH and t not in ("telfhash", "pehash"):
        if len(v) == HASH_LENGTH[t] and _HEX.match(v):
            return None
        return ("Checksum has an invalid length or format (expected: %d hexadecimal "
                "characters). Please double check the value or select type \"other\"."
                % HASH_LENGTH[t])
    if t == "pehash":
        return None if len(v) == 40 and _HEX.match(v) else _FORMAT_MSG
    if t == "telfhash":
        return None if len(v) in (70, 72) else _FORMAT_MSG
    if t == "tlsh":
        body = v[1:] if v.startswith("t") else v
        return None if len(body) > 35 and _HEX.match(body) else _FORMAT_MSG
    if t == "ssdeep":
        return None if _SSDEEP.match(v) else ("Invalid SSDeep hash. The format has to be "
                                              "blocksize:hash:hash")
    if t == "impfuzzy":
        parts = v.split(":")
        return None if len(parts) == 3 and _digits(parts[0]) else _FORMAT_MSG
    if t == "cdhash":
        return None if len(v) >= 40 and re.match(r"^[0-9a-f]+$", v) else _FORMAT_MSG
    if t == "http-method":
        return None if _HTTP_METHODS.search(v) else "Unknown HTTP method."
    if t.startswith("filename|"):
        name, _, h = v.partition("|")
        if "\n" in name:
            return "Filename must not contain new line character."
        kind = t[len("filename|"):]
        if kind in HASH_LENGTH:
            ok = len(h) == HASH_LENGTH[kind] and re.match(r"^[0-9a-f]+$", h)
        elif kind == "ssdeep":
            ok = _SSDEEP.match(h)
        elif kind == "tlsh":
            ok = check("tlsh", h) is None
        elif kind == "impfuzzy":
            ok = check("impfuzzy", h) is None
        else:
            ok = bool(name) and bool(h)
        return None if ok and name else _FORMAT_MSG
    if t in ("ip-src", "ip-dst"):
        return _check_ip(v)
    if t == "port":
        return None if _port_ok(v) else _PORT_MSG
    if t in ("ip-src|port", "ip-dst|port"):
        ip, _, port = v.partition("|")
        return _IP_MSG if not _ip_ok(ip) else (None if _port_ok(port) else _PORT_MSG)
    if t in ("mac-address", "mac-eui-64"):
        n = 6 if t == "mac-address" else 8
        return None if re.match(r"^([a-fA-F0-9]{2}:?){%d}$" % n, v) else _FORMAT_MSG
    if t in ("hostname", "domain"):
        return None if _DOMAIN.match(v) else (
            '%s has an invalid format. Please double check the value or select type "other".'
            % t.capitalize())
    if t == "hostname|port":
        host, _, port = v.partition("|")
        if not _DOMAIN.match(host):
            return "Hostname has an invalid format."
        return None if _port_ok(port) else _PORT_MSG
    if t == "domain|ip":
        dom, _, ip = v.partition("|")
        if not _DOMAIN.match(dom):
            return "Domain has an invalid format."
        return None if _ip_ok(ip) else _IP_MSG
    if t in _EMAILS:
        return None if re.match(r"^.[^\s]*@.*\..*$", v, re.I) else (
            'Email address has an invalid format. Please double check the value or select '
            'type "other".')
    if t == "vulnerability":
        return None if re.match(r"^CVE-[0-9]{4}-[0-9]{4,}$", v) else (
            "Invalid format. Expected: CVE-xxxx-xxxx...")
    if t == "weakness":
        return None if re.match(r"^CWE-[0-9]+$", v) else "Invalid format. Expected: CWE-x..."
    if t in ("windows-service-name", "windows-service-displayname"):
        return None if len(v) <= 256 and not re.search(r"[\\/]", v) else _FORMAT_MSG
    if t in _FREE:
        return None
    if t == "link":
        return None if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s]+$", v) else _FORMAT_MSG
    if t == "hex":
        return None if _HEX.match(v) else _FORMAT_MSG
    if t in ("size-in-bytes", "counter"):
        return None if _digits(v) else "The value has to be a whole number greater or equal 0."
    if t in ("iban", "bic", "btc", "dash", "xmr"):
        return None if re.match(r"^[a-zA-Z0-9]+$", v) else _FORMAT_MSG
    if t in _NUMERIC:
        try:
            float(v)
            return None
        except ValueError:
            return _FORMAT_MSG
    if t == "boolean":
        return None if v in ("0", "1", "true", "false") else _FORMAT_MSG
    if t == "AS":
        return None if _digits(v) and int(v) <= 4294967295 else (
            "AS number have to be integer between 1 and 4294967295")
    if t == "datetime":
        ok = re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
                      r"(Z|[+-]\d{2}:?\d{2})?$", v)
        return None if ok else "Datetime has to be in the ISO 8601 format."
    # every other type: MISP only refuses a new line
    return "Value must not contain new line character." if "\n" in v else None
