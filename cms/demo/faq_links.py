"""Which demo FAQs (by key in faqs.jsonl) belong to which service guide (by slug).

seed_demo sets FAQ.related_guide in each locale to the guide of the same locale, so the guide
page lists its FAQs and search can point from an answer to the full procedure. Only keys that
exist in faqs.jsonl are listed (tests/cms/test_seed_demo.py checks this).
"""

FAQ_GUIDES = {
    "id-card-lost": "id-card-replacement",
    "id-card-temporary": "id-card-replacement",
    "found-id-card": "id-card-replacement",
    "id-card-renewal": "id-card",
    "id-card-child": "id-card",
    "id-card-collect": "id-card",
    "household-transfer": "household-transfer",
    "household-newborn": "newborn-registration",
    "residence-permit-apply": "residence-permit",
    "residence-registration": "residence-permit",
    "residence-permit-endorse": "residence-permit",
    "passport-apply": "passport",
    "passport-renewal": "passport",
    "passport-lost": "passport",
    "exit-entry-progress": "passport",
    "hk-macau-permit": "hk-macau-permit",
    "hk-macau-endorsement": "hk-macau-permit",
    "taiwan-permit": "taiwan-permit",
    "no-criminal-record": "no-criminal-record",
    "no-criminal-record-abroad": "no-criminal-record",
    "no-criminal-record-proxy": "no-criminal-record",
    "driving-licence-renewal": "driving-licence",
    "driving-licence-lost": "driving-licence",
    "driving-licence-points": "driving-licence",
    "traffic-violation": "vehicle-services",
    "vehicle-registration": "vehicle-services",
    "vehicle-transfer": "vehicle-services",
    "dog-registration": "dog-registration",
    "dog-rules": "dog-registration",
    "dog-lost-tag": "dog-registration",
    "hotel-permit": "special-trade-permit",
    "seal-engraving": "special-trade-permit",
}
