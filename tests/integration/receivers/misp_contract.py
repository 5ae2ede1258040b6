"""The MISP core-format checks MISP applies to an event sent to /events/add or /events/edit,
and to an attribute sent to /attributes/add.

Contract: check_event(event, creating, sharing_groups) returns (errors, dropped, refusal):
errors are the Event-level validation errors keyed like MISP's ({"Event": {field: [msg]}}),
which make MISP refuse the event; dropped maps "Attribute"/"Object"/"Tag" -> {index: (errors,
structural)} for the entries MISP saves the event without (reporting them under "errors");
structural is False when only the value's format (or a duplicate) is wrong. refusal is
(status, message) for what MISP raises as an exception (distribution 4 without an authorised
sharing group). Messages are MISP's own (Event, MispAttribute and AppModel validation rules,
MispAttribute::beforeValidate, EventsController::add).
"""
import datetime
import re

import misp_types
import misp_values

UUID_RE = re.compile(r"^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[0-5][a-fA-F0-9]{3}-[089aAbB][a-fA-F0-9]{3}"
                     r"-[a-fA-F0-9]{12}$")
ANALYSIS_NAMES = {"Initial": "0", "Ongoing": "1", "Completed": "2"}
MSG = {
    "date": "Expected date format: YYYY-MM-DD",
    "threat_level_id": "Options : 1, 2, 3, 4 (for High, Medium, Low, Undefined)",
    "distribution": ("Options : Your organisation only, This community only, Connected "
                     "communities, All communities"),
    "attr_distribution": ("Options: Your organisation only, This community only, Connected "
                          "communities, All communities, Sharing group, Inherit event"),
    "sharing_group_id": ('If the distribution is set to "Sharing Group", a sharing group has to '
                         'be selected.'),
    "analysis": "Options : 0, 1, 2 (for Initial, Ongoing, Completed)",
    "uuid": "Please provide a valid RFC 4122 UUID",
    "extends_uuid": "Please provide a valid UUID",
    "type": "Options depend on the selected category.",
    "category": "Options : Payload delivery, Antivirus detection, Payload installation, Files "
                "dropped ...",
    "boolean": "boolean",
    "unique": "A similar attribute already exists for this event.",
    "sg_refused": "Invalid Sharing Group or not authorised.",
}


def _s(value):
    """MISP compares ids and enums as strings (CakePHP inList on the string form)."""
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, (int, str)) else None


def value_text(attr_type, value):
    """The attribute value as the string MISP (PHP) makes of JSON scalars: true -> "1", false
    -> "" ("0" for the boolean type), numbers in decimal; None and arrays -> ""."""
    if isinstance(value, bool):
        return "1" if value else ("0" if attr_type == "boolean" else "")
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else ""


def _add(errors, field, message):
    errors.setdefault(field, []).append(message)


def valid_uuid(value):
    return isinstance(value, str) and bool(UUID_RE.match(value))


def is_bool(value):
    """CakePHP's boolean rule: true, false, 0, 1, "0", "1"."""
    return value in (True, False, 0, 1, "0", "1") and not isinstance(value, float)


def valid_date(value):
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return False
    try:
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _check_distribution(obj, errors, allowed, message, sharing_groups):
    if "distribution" not in obj:
        return
    dist = _s(obj["distribution"])
    if dist not in allowed:
        _add(errors, "distribution", message)
    elif dist == "4" and _s(obj.get("sharing_group_id")) not in sharing_groups:
        _add(errors, "sharing_group_id", MSG["sharing_group_id"])


def check_attribute(attr, sharing_groups=(), in_object=False):
    """(errors, structural) of one attribute: errors is {} when MISP would save it; structural
    is False when the only problems are the value's format or a duplicate, the errors MISP
    reports for a value it drops."""
    if not isinstance(attr, dict):
        return {"Attribute": ["Not a valid attribute object."]}, True
    errors = {}
    attr_type, category, value = attr.get("type"), attr.get("category"), attr.get("value")
    if not attr_type:
        _add(errors, "type", "No type set.")
    elif not isinstance(attr_type, str) or attr_type not in misp_types.TYPES:
        _add(errors, "type", "Invalid type.")
    elif category not in (None, "") and category not in misp_types.CATEGORY_TYPES:
        _add(errors, "category", MSG["category"])
    elif attr_type not in misp_types.CATEGORY_TYPES.get(
            category or misp_types.default_for(attr_type)[0], ()):
        _add(errors, "type", MSG["type"])
    if isinstance(value, (dict, list)):
        _add(errors, "value", "Value is an array.")
    elif not value_text(attr_type, value).strip():
        _add(errors, "value", "Value cannot be empty.")
    if "to_ids" in attr and not is_bool(attr["to_ids"]):
        _add(errors, "to_ids", MSG["boolean"])
    if "uuid" in attr and not valid_uuid(attr["uuid"]):
        _add(errors, "uuid", MSG["uuid"])
    _check_distribution(attr, errors, {"0", "1", "2", "3", "4", "5"},
                        MSG["attr_distribution"], sharing_groups)
    if in_object and not attr.get("object_relation"):
        _add(errors, "object_relation", "Object attribute sent, but no object_relation set.")
    for i, tag in enumerate(attr.get("Tag") or []):
        if not isinstance(tag, dict) or not str(tag.get("name") or "").strip():
            errors.setdefault("Tag", {})[str(i)] = {"name": ["Name cannot be empty."]}
    if errors:
        return errors, True
    problem = misp_values.check(attr_type,
                                misp_values.normalize(attr_type, value_text(attr_type, value)))
    return ({"value": [problem]}, False) if problem else ({}, False)


def check_object(obj, sharing_groups=()):
    """(errors, structural) of one object, its attributes included."""
    if not isinstance(obj, dict):
        return {"Object": ["Not a valid object."]}, True
    errors, structural = {}, False
    if not isinstance(obj.get("name"), str) or not obj["name"].strip():
        _add(errors, "name", "Name cannot be empty.")
    if "uuid" in obj and not valid_uuid(obj["uuid"]):
        _add(errors, "uuid", MSG["uuid"])
    if obj.get("template_uuid") not in (None, "") and not valid_uuid(obj["template_uuid"]):
        _add(errors, "template_uuid", MSG["extends_uuid"])
    _check_distribution(obj, errors, {"0", "1", "2", "3", "4", "5"},
                        MSG["attr_distribution"], sharing_groups)
    for i, ref in enumerate(obj.get("ObjectReference") or []):
        target = ref.get("referenced_uuid") if isinstance(ref, dict) else None
        if target is not None and not valid_uuid(target):
            errors.setdefault("ObjectReference", {})[str(i)] = {
                "referenced_uuid": [MSG["extends_uuid"]]}
    structural = bool(errors)
    attrs = obj.get("Attribute")
    if not isinstance(attrs, list) or not attrs:
        _add(errors, "Attribute", "An object needs at least one attribute.")
        return errors, True
    for i, attr in enumerate(attrs):
        bad, hard = check_attribute(attr, sharing_groups, in_object=True)
        if bad:
            errors.setdefault("Attribute", {})[str(i)] = bad
            structural = structural or hard
    return errors, structural


def _check_event_fields(ev, creating, sharing_groups):
    errors = {}
    info = ev.get("info")
    if creating or "info" in ev:
        if not isinstance(info, str) or not info.strip():
            _add(errors, "info", "Info cannot be empty.")
    if "date" in ev and not valid_date(ev["date"]):
        _add(errors, "date", MSG["date"])
    if "threat_level_id" in ev and _s(ev["threat_level_id"]) not in {"1", "2", "3", "4"}:
        _add(errors, "threat_level_id", MSG["threat_level_id"])
    if "analysis" in ev:
        analysis = ANALYSIS_NAMES.get(ev["analysis"], _s(ev["analysis"]))
        if analysis not in {"0", "1", "2"}:
            _add(errors, "analysis", MSG["analysis"])
    if "distribution" in ev and _s(ev["distribution"]) not in {"0", "1", "2", "3", "4"}:
        _add(errors, "distribution", MSG["distribution"])
    if "published" in ev and not is_bool(ev["published"]):
        _add(errors, "published", MSG["boolean"])
    if "uuid" in ev and not valid_uuid(ev["uuid"]):
        _add(errors, "uuid", MSG["uuid"])
    ext = ev.get("extends_uuid")
    if ext not in (None, "") and not (valid_uuid(ext) or str(ext).isdigit()):
        _add(errors, "extends_uuid", MSG["extends_uuid"])
    for key in ("Attribute", "Object", "Tag", "Galaxy"):
        if key in ev and not isinstance(ev[key], list):
            _add(errors, key, "Expected a list.")
    return errors


def check_event(ev, creating=True, sharing_groups=()):
    """(errors, dropped, refusal) for one event; see the module contract."""
    if not isinstance(ev, dict):
        return {"Event": {"Event": ["Not a valid event object."]}}, {}, None
    sharing_groups = {str(s) for s in sharing_groups}
    refusal = None
    if _s(ev.get("distribution")) == "4" and _s(ev.get("sharing_group_id")) not in sharing_groups:
        refusal = (405, MSG["sg_refused"])
    errors = _check_event_fields(ev, creating, sharing_groups)
    dropped = {}    # kind -> {index: (errors, structural)}
    seen = set()
    for i, attr in enumerate(ev.get("Attribute") or [] if "Attribute" not in errors else []):
        bad, hard = check_attribute(attr, sharing_groups)
        if not bad and not attr.get("deleted"):
            key = (attr["type"],
                   misp_values.normalize(attr["type"], value_text(attr["type"], attr["value"])),
                   attr.get("category") or misp_types.default_for(attr["type"])[0])
            if key in seen:
                bad = {"value": [MSG["unique"]]}
            seen.add(key)
        if bad:
            dropped.setdefault("Attribute", {})[str(i)] = (bad, hard)
    for i, obj in enumerate(ev.get("Object") or [] if "Object" not in errors else []):
        bad, hard = check_object(obj, sharing_groups)
        if bad:
            dropped.setdefault("Object", {})[str(i)] = (bad, hard)
    for i, tag in enumerate(ev.get("Tag") or [] if "Tag" not in errors else []):
        if not isinstance(tag, dict) or not str(tag.get("name") or "").strip():
            dropped.setdefault("Tag", {})[str(i)] = ({"name": ["Name cannot be empty."]}, True)
    return ({"Event": errors} if errors else {}), dropped, refusal


def unwrap_event(body):
    """The event inside a request body: {"Event": {...}}, a bare event, or either inside MISP's
    {"response": ...} / {"request": ...} envelopes (EventsController::add)."""
    if isinstance(body, dict):
        for envelope in ("response", "request"):
            if envelope in body:
                body = body[envelope]
                break
    if isinstance(body, dict) and "Event" in body:
        return body["Event"]
    return body
