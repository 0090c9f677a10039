"""Validates a FHIR Bundle exported by Haven with the fhir.resources models (FHIR R4B, the
R4 line), as `cargo xtask test` does: every resource in it must parse and validate, and every
record kind Haven exports must be present. Exits non-zero with the validator's message."""

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
if missing:
    sys.exit(f"the export has no {', '.join(sorted(missing))} resource")
print(f"valid FHIR R4B Bundle: {len(bundle.entry)} entries, {', '.join(sorted(found))}")
