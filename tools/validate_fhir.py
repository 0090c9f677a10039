"""Validates a FHIR Bundle exported by Haven with the fhir.resources models (FHIR R4B, the
R4 line): every resource in it must parse and validate. With `--every-type` (the sample
export `cargo xtask test` writes), every resource type Haven exports must also be present.
Exits non-zero with the validator's message.

Usage: validate_fhir.py FILE [--every-type]"""

import json
import sys

from fhir.resources.R4B.bundle import Bundle

EXPECTED = {
    "Patient",
    "Condition",
    "MedicationStatement",
    "AllergyIntolerance",
    "Observation",
    "Immunization",
    "DocumentReference",
    "Communication",
}

with open(sys.argv[1], encoding="utf-8") as file:
    data = json.load(file)
bundle = Bundle.model_validate(data)
found = {entry.resource.get_resource_type() for entry in bundle.entry or []}
missing = EXPECTED - found
if "--every-type" in sys.argv[2:] and missing:
    sys.exit(f"the export has no {', '.join(sorted(missing))} resource")
print(f"valid FHIR R4B Bundle: {len(bundle.entry)} entries, {', '.join(sorted(found))}")
