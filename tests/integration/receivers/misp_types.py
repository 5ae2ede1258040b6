"""MISP attribute categories, the types each category allows, and each type's sane defaults.

Contract: CATEGORY_TYPES[category] is the set of attribute types MISP accepts in that category,
TYPES is every known type, default_for(type) gives the (category, to_ids) MISP applies when a
request leaves them out. Data from MISP's describeTypes (`GET /attributes/describeTypes`), as
shipped in PyMISP's pymisp/data/describeTypes.json (commit f72c2d2ff930); types are listed
space-separated, in MISP's order.
"""

_FILENAME_HASHES = ("filename|authentihash filename|impfuzzy filename|imphash filename|md5 "
                    "filename|pehash filename|sha1 filename|sha224 filename|sha256 "
                    "filename|sha3-224 filename|sha3-256 filename|sha3-384 filename|sha3-512 "
                    "filename|sha384 filename|sha512 filename|sha512/224 filename|sha512/256 "
                    "filename|ssdeep filename|tlsh filename|vhash")
_HASHES = ("md5 sha1 sha224 sha256 sha3-224 sha3-256 sha3-384 sha3-512 sha384 sha512 "
           "sha512/224 sha512/256")
_X509 = "x509-fingerprint-md5 x509-fingerprint-sha1 x509-fingerprint-sha256"
_PERSON = ("country-of-residence date-of-birth email first-name frequent-flyer-number gender "
           "identity-card-number issue-date-of-the-visa last-name middle-name nationality other "
           "passenger-name-record-locator-number passport-country passport-expiration "
           "passport-number payment-details pgp-private-key pgp-public-key phone-number "
           "place-of-birth place-port-of-clearance place-port-of-onward-foreign-destination "
           "place-port-of-original-embarkation primary-residence redress-number "
           "special-service-request text travel-details visa-number")

_CATEGORIES = {
    "Antivirus detection": "anonymised attachment comment hex link other text",
    "Artifacts dropped": (
        "anonymised attachment authentihash cdhash comment cookie filename filename-pattern "
        + _FILENAME_HASHES + " gene hex impfuzzy imphash kusto-query malware-sample "
        "mime-type mutex named-pipe other pattern-in-file pattern-in-memory pdb "
        "pgp-private-key pgp-public-key process-state regkey regkey|value " + _HASHES
        + " sigma ssdeep stix2-pattern telfhash text vhash windows-scheduled-task "
        "windows-service-displayname windows-service-name " + _X509 + " yara"),
    "Attribution": (
        "anonymised campaign-id campaign-name comment dns-soa-email email other text "
        "threat-actor whois-creation-date whois-registrant-email whois-registrant-name "
        "whois-registrant-org whois-registrant-phone whois-registrar " + _X509),
    "External analysis": (
        "AS anonymised attachment bro comment community-id cortex cpe domain domain|ip "
        "filename filename-pattern filename|md5 filename|sha1 filename|sha256 "
        "filename|sha3-224 filename|sha3-256 filename|sha3-384 filename|sha3-512 "
        "github-repository hassh-md5 hasshserver-md5 hostname ip-dst ip-dst|port ip-src "
        "ip-src|port ja3-fingerprint-md5 jarm-fingerprint link mac-address mac-eui-64 "
        "malware-sample md5 other pattern-in-file pattern-in-memory pattern-in-traffic regkey "
        "regkey|value sha1 sha256 sha3-224 sha3-256 sha3-384 sha3-512 snort text url "
        "user-agent vulnerability weakness " + _X509 + " zeek"),
    "Financial fraud": ("aba-rtn anonymised bank-account-nr bic bin btc cc-number comment "
                        "dash hex iban other phone-number prtn text xmr"),
    "Internal reference": "anonymised comment git-commit-id hex link other text",
    "Network activity": (
        "AS anonymised attachment bro comment community-id cookie domain domain|ip email "
        "email-dst email-src email-subject eppn favicon-mmh3 filename-pattern hassh-md5 "
        "hasshserver-md5 hex hostname hostname|port http-method ip-dst ip-dst|port ip-src "
        "ip-src|port ja3-fingerprint-md5 jarm-fingerprint mac-address mac-eui-64 other "
        "pattern-in-file pattern-in-traffic port snort stix2-pattern text uri url user-agent "
        + _X509 + " zeek"),
    "Other": ("anonymised boolean comment counter cpe datetime float hex other "
              "pgp-private-key pgp-public-key phone-number port size-in-bytes text"),
    "Payload delivery": (
        "AS anonymised attachment authentihash cdhash chrome-extension-id comment cpe domain "
        "email email-attachment email-body email-dst email-dst-display-name email-header "
        "email-message-id email-mime-boundary email-reply-to email-src email-src-display-name "
        "email-subject email-thread-index email-x-mailer filename filename-pattern "
        + _FILENAME_HASHES + " hassh-md5 hasshserver-md5 hex hostname hostname|port impfuzzy "
        "imphash ip-dst ip-dst|port ip-src ip-src|port ja3-fingerprint-md5 jarm-fingerprint "
        "link mac-address mac-eui-64 malware-sample malware-type mime-type "
        "mobile-application-id other pattern-in-file pattern-in-traffic pehash " + _HASHES
        + " sigma ssdeep stix2-pattern telfhash text tlsh url user-agent vhash vulnerability "
        "weakness whois-registrant-email " + _X509 + " yara"),
    "Payload installation": (
        "anonymised attachment authentihash cdhash chrome-extension-id comment cpe filename "
        "filename-pattern " + _FILENAME_HASHES + " hex impfuzzy imphash malware-sample "
        "malware-type mime-type mobile-application-id other pattern-in-file pattern-in-memory "
        "pattern-in-traffic pehash " + _HASHES + " sigma ssdeep stix2-pattern telfhash text "
        "tlsh vhash vulnerability weakness " + _X509 + " yara"),
    "Payload type": "anonymised comment other text",
    "Persistence mechanism": "anonymised comment filename hex other regkey regkey|value text",
    "Person": "anonymised comment " + _PERSON,
    "Social network": ("anonymised comment email email-dst email-src eppn github-organisation "
                       "github-repository github-username jabber-id other pgp-private-key "
                       "pgp-public-key text twitter-id whois-registrant-email"),
    "Support Tool": "anonymised attachment comment hex link other text",
    "Targeting data": ("anonymised comment target-email target-external target-location "
                       "target-machine target-org target-user"),
}


def _types(text):
    # "named pipe" is the one type with a space; it is written named-pipe above.
    return {"named pipe" if t == "named-pipe" else t for t in text.split()}


CATEGORY_TYPES = {cat: _types(text) for cat, text in _CATEGORIES.items()}
CATEGORIES = list(CATEGORY_TYPES)
TYPES = set().union(*CATEGORY_TYPES.values())

# sane_defaults: {default category: (types with to_ids 1, types with to_ids 0)}
_DEFAULTS = {
    "Network activity": (
        "bro community-id domain domain|ip email-dst eppn favicon-mmh3 hassh-md5 "
        "hasshserver-md5 hostname hostname|port ip-dst ip-dst|port ip-src ip-src|port "
        "ja3-fingerprint-md5 jarm-fingerprint pattern-in-traffic snort uri url " + _X509
        + " zeek",
        "AS cookie http-method mac-address mac-eui-64 port user-agent"),
    "Financial fraud": ("aba-rtn bank-account-nr bic bin btc cc-number dash iban prtn xmr", ""),
    "Other": ("", "anonymised boolean comment counter datetime float hex other size-in-bytes "
                  "text"),
    "External analysis": ("", "attachment cortex cpe link vulnerability weakness"),
    "Payload delivery": (
        "authentihash cdhash chrome-extension-id email-attachment email-src filename "
        + _FILENAME_HASHES + " impfuzzy imphash malware-sample md5 mobile-application-id "
        "pehash " + _HASHES + " ssdeep telfhash tlsh vhash",
        "email-body email-dst-display-name email-header email-message-id email-mime-boundary "
        "email-reply-to email-src-display-name email-subject email-thread-index "
        "email-x-mailer malware-type"),
    "Attribution": ("", "campaign-id campaign-name dns-soa-email threat-actor "
                        "whois-creation-date whois-registrant-email whois-registrant-name "
                        "whois-registrant-org whois-registrant-phone whois-registrar"),
    "Person": ("", _PERSON.replace("email ", "").replace(" other", "").replace(" text", "")),
    "Social network": ("email", "github-organisation github-repository github-username "
                                "jabber-id twitter-id"),
    "Artifacts dropped": ("mutex", "gene kusto-query mime-type named-pipe pdb process-state "
                                   "windows-scheduled-task windows-service-displayname "
                                   "windows-service-name"),
    "Internal reference": ("", "git-commit-id"),
    "Payload installation": ("pattern-in-file pattern-in-memory sigma stix2-pattern yara", ""),
    "Persistence mechanism": ("regkey regkey|value", ""),
    "Targeting data": ("", "target-email target-external target-location target-machine "
                           "target-org target-user"),
}

SANE_DEFAULTS = {}
for _cat, (_ids, _no_ids) in _DEFAULTS.items():
    SANE_DEFAULTS.update({t: (_cat, True) for t in _types(_ids)})
    SANE_DEFAULTS.update({t: (_cat, False) for t in _types(_no_ids)})


def default_for(attr_type):
    """(category, to_ids) MISP fills in; a type without sane defaults gets the first category
    that allows it and to_ids false."""
    if attr_type in SANE_DEFAULTS:
        return SANE_DEFAULTS[attr_type]
    for cat in CATEGORIES:
        if attr_type in CATEGORY_TYPES[cat]:
            return cat, False
    return None, False
