"""The words of the demo site. Every person and place here is fictional.

Kept apart from `load_demo_data` so the command reads as what it builds, not what it says.
The deep vein thrombosis article follows the structure of the page the product grew from
(title, credits, standfirst, questions and answers, a named sub-topic, author box); its text
is the project's own.
"""

from .choices import CalloutLevel, CreditRole, ProcedureKind

FICTIONAL = "This is a fictional profile created for the demo site."

SITE_NAME = "Clearwell Health"
HOME_INTRODUCTION = (
    "Clear, clinically reviewed information about conditions, tests and treatments, "
    "written and checked by named specialists."
)
ARTICLE_INDEX_INTRODUCTION = (
    "Every article is written or checked by a specialist and reviewed on a schedule."
)
EXPERT_INDEX_INTRODUCTION = (
    "The specialists who write and review our articles. All profiles on this demo site are "
    "fictional."
)

SPECIALTY_INDEX_INTRODUCTION = "Browse by the kind of specialist who treats you."
PROCEDURE_INDEX_INTRODUCTION = (
    "Conditions, tests and treatments from A to Z, with the articles and specialists for each."
)

SPECIALTIES = {
    "interventional-radiology": (
        "Interventional radiology",
        "Treating disease through pinhole incisions, guided by X-ray, ultrasound or CT.",
    ),
    "vascular-medicine": (
        "Vascular medicine",
        "Diagnosing and treating problems of the arteries and veins, such as blood clots.",
    ),
    "cardiology": ("Cardiology", "The heart and its rhythm, valves and blood supply."),
    "vascular-surgery": (
        "Vascular surgery",
        "Operations on arteries and veins, from varicose veins to aneurysm repair.",
    ),
    "neuroradiology": (
        "Neuroradiology",
        "Imaging and minimally invasive treatment of the brain and spine.",
    ),
    "sexual-health": (
        "Sexual health",
        "Confidential testing, treatment and advice for sexually transmitted infections.",
    ),
}

# slug: (title, kind, specialty slug, synonyms, summary, related condition slugs)
PROCEDURES = {
    "deep-vein-thrombosis": (
        "Deep vein thrombosis",
        ProcedureKind.CONDITION,
        "vascular-medicine",
        "DVT, leg clot, blood clot in the leg",
        "A blood clot in one of the deep veins, usually in the leg.",
        [],
    ),
    "pulmonary-embolism": (
        "Pulmonary embolism",
        ProcedureKind.CONDITION,
        "vascular-medicine",
        "PE, lung clot, blood clot in the lung",
        "A blood clot that has travelled to the lungs. It needs treatment straight away.",
        [],
    ),
    "venous-duplex-ultrasound": (
        "Venous duplex ultrasound",
        ProcedureKind.DIAGNOSTIC_TEST,
        "vascular-medicine",
        "leg vein scan, Doppler scan",
        "A painless scan that shows blood flowing through the veins and finds clots.",
        ["deep-vein-thrombosis", "varicose-veins"],
    ),
    "catheter-directed-thrombolysis": (
        "Catheter-directed thrombolysis",
        ProcedureKind.TREATMENT,
        "interventional-radiology",
        "clot-busting treatment, thrombolysis",
        "Clot-dissolving medicine given straight into a clot through a thin tube.",
        ["deep-vein-thrombosis", "pulmonary-embolism"],
    ),
    "inferior-vena-cava-filter": (
        "Inferior vena cava filter",
        ProcedureKind.TREATMENT,
        "interventional-radiology",
        "IVC filter, vein filter",
        "A small filter placed in the body's largest vein to stop clots reaching the lungs.",
        ["deep-vein-thrombosis", "pulmonary-embolism"],
    ),
    "endovenous-laser-ablation": (
        "Endovenous laser ablation",
        ProcedureKind.TREATMENT,
        "interventional-radiology",
        "EVLA, venous laser treatment, laser vein treatment",
        "Sealing a faulty vein from the inside with laser heat, under local anaesthetic.",
        ["varicose-veins"],
    ),
    "varicose-veins": (
        "Varicose veins",
        ProcedureKind.CONDITION,
        "vascular-surgery",
        "swollen veins, bulging leg veins",
        "Swollen, twisted veins near the skin, usually in the legs.",
        [],
    ),
    "cardiac-mri": (
        "Cardiac MRI",
        ProcedureKind.DIAGNOSTIC_TEST,
        "cardiology",
        "heart MRI, CMR, cardiac magnetic resonance",
        "A detailed scan of the heart using a magnet and radio waves, without X-rays.",
        ["atrial-fibrillation"],
    ),
    "atrial-fibrillation": (
        "Atrial fibrillation",
        ProcedureKind.CONDITION,
        "cardiology",
        "AF, AFib, irregular heartbeat",
        "An irregular, often fast heartbeat that raises the risk of stroke.",
        [],
    ),
    "brain-aneurysm": (
        "Brain aneurysm",
        ProcedureKind.CONDITION,
        "neuroradiology",
        "cerebral aneurysm, intracranial aneurysm",
        "A bulge in a blood vessel in the brain.",
        [],
    ),
    "endovascular-coiling": (
        "Endovascular coiling",
        ProcedureKind.TREATMENT,
        "neuroradiology",
        "aneurysm coiling, coil embolisation",
        "Filling an aneurysm with tiny platinum coils passed through a blood vessel.",
        ["brain-aneurysm"],
    ),
    "sexual-health-screening": (
        "Sexual health screening",
        ProcedureKind.DIAGNOSTIC_TEST,
        "sexual-health",
        "STI test, sexual health check, STI screening",
        "Tests for infections passed on through sex, such as chlamydia, gonorrhoea, syphilis "
        "and HIV, usually from a urine sample or swab and a blood test.",
        [],
    ),
}

# Sensitive topics: their pages, the articles about them and (for a specialty) its experts'
# profiles never show advertising, and analytics is told neither their title nor their
# address. The procedure is marked itself too, so it stays sensitive wherever it is filed.
SENSITIVE_SPECIALTIES = {"sexual-health"}
SENSITIVE_PROCEDURES = {"sexual-health-screening"}

# Logins of the clinicians who approve the demo articles, linked to their profiles. Only
# "reviewer" gets a known password (with --demo-logins); the others cannot log in.
REVIEWER_LOGINS = {
    "cardiologist": "reviewer",
    "radiologist": "imogen.varga",
    "surgeon": "ravi.lindqvist",
}

STAFF = [
    {"key": "editor", "name": "Morgan Ashby", "job_title": "Health content editor"},
]

EXPERTS = [
    {
        "key": "radiologist",
        "slug": "dr-imogen-varga",
        "honorific": "Dr",
        "given_name": "Imogen",
        "family_name": "Varga",
        "job_title": "Consultant interventional radiologist",
        "specialties": ["interventional-radiology", "vascular-medicine"],
        "procedures": [
            "catheter-directed-thrombolysis",
            "inferior-vena-cava-filter",
            "endovenous-laser-ablation",
            "venous-duplex-ultrasound",
            "deep-vein-thrombosis",
        ],
        # (approved scores, pending, rejected): 23 approved ratings averaging 4.8.
        "ratings": ([5] * 19 + [4] * 3 + [3], 2, 1),
        "short_bio": (
            "Dr Varga treats blocked and damaged blood vessels through pinhole incisions, "
            "guided by imaging. She has led a venous thrombosis service for over ten years. "
            + FICTIONAL
        ),
        "bio": (
            "<p>Dr Imogen Varga is a consultant interventional radiologist with a particular "
            "interest in deep vein thrombosis, varicose veins and minimally invasive treatment "
            "of vascular disease.</p><p>She trained in radiology and completed a fellowship in "
            "interventional radiology, and teaches imaging-guided procedures to trainees.</p>"
            f"<p><em>{FICTIONAL}</em></p>"
        ),
        "qualifications": [
            ("MB ChB", "Northfield University Medical School", 2004),
            ("MRCP", "Demo College of Physicians", 2007),
            ("FRCR", "Demo College of Radiologists", 2010),
            ("Fellowship in interventional radiology", "Lakeside Teaching Hospital", 2012),
        ],
        "registration": ("Demo Medical Council (fictional)", "DEMO-100231"),
        "locations": [
            ("Riverside General Hospital", "Eastbridge"),
            ("The Harbour Clinic", "Portwell"),
        ],
        "languages": "English, Hungarian",
        "photo_hue": 200,
    },
    {
        "key": "cardiologist",
        "slug": "dr-tomas-adeyemi",
        "honorific": "Dr",
        "given_name": "Tomás",
        "family_name": "Adeyemi",
        "job_title": "Consultant cardiologist",
        "specialties": ["cardiology"],
        "procedures": ["cardiac-mri", "atrial-fibrillation"],
        "ratings": ([5] * 9 + [4] * 5 + [3] * 2, 1, 0),
        "short_bio": (
            "Dr Adeyemi looks after people with heart rhythm problems and heart failure, and "
            "reports cardiac MRI scans. " + FICTIONAL
        ),
        "bio": (
            "<p>Dr Tomás Adeyemi is a consultant cardiologist who specialises in cardiac "
            "imaging and the prevention of clots in people with an irregular heartbeat.</p>"
            f"<p><em>{FICTIONAL}</em></p>"
        ),
        "qualifications": [
            ("MB BS", "Southgate University", 2006),
            ("MRCP (Cardiology)", "Demo College of Physicians", 2011),
            ("MD in cardiac imaging", "Southgate University", 2014),
        ],
        "registration": ("Demo Medical Council (fictional)", "DEMO-104877"),
        "locations": [("Riverside General Hospital", "Eastbridge")],
        "languages": "English, Yoruba, Spanish",
        "photo_hue": 12,
    },
    {
        "key": "surgeon",
        "slug": "mr-ravi-lindqvist",
        "honorific": "Mr",
        "given_name": "Ravi",
        "family_name": "Lindqvist",
        "job_title": "Consultant vascular surgeon",
        "specialties": ["vascular-surgery"],
        "procedures": ["varicose-veins", "endovenous-laser-ablation", "venous-duplex-ultrasound"],
        "ratings": ([5] * 6 + [4] * 6 + [2], 0, 2),
        "short_bio": (
            "Mr Lindqvist operates on arteries and veins, from varicose veins to aortic "
            "aneurysms. " + FICTIONAL
        ),
        "bio": (
            "<p>Mr Ravi Lindqvist is a consultant vascular surgeon. He offers both open and "
            "keyhole surgery and runs a clinic for leg ulcers.</p>"
            f"<p><em>{FICTIONAL}</em></p>"
        ),
        "qualifications": [
            ("MB BCh", "Westmoor University", 2003),
            ("FRCS (Vascular)", "Demo College of Surgeons", 2013),
        ],
        "registration": ("Demo Medical Council (fictional)", "DEMO-099512"),
        "locations": [("St Aldric's Hospital", "Northfield")],
        "languages": "English, Swedish",
        "photo_hue": 140,
    },
    {
        "key": "neurologist",
        "slug": "dr-nadia-okafor",
        "honorific": "Dr",
        "given_name": "Nadia",
        "family_name": "Okafor",
        "job_title": "Consultant interventional neuroradiologist",
        "specialties": ["neuroradiology", "interventional-radiology"],
        "procedures": ["brain-aneurysm", "endovascular-coiling"],
        "ratings": ([], 3, 0),
        "short_bio": (
            "Dr Okafor treats aneurysms and other blood vessel problems in the brain from "
            "inside the vessels. " + FICTIONAL
        ),
        "bio": (
            "<p>Dr Nadia Okafor is a consultant interventional neuroradiologist. She treats "
            "brain aneurysms by coiling and stenting, and takes part in stroke thrombectomy "
            f"services.</p><p><em>{FICTIONAL}</em></p>"
        ),
        "qualifications": [
            ("MB ChB", "Lakeside University", 2007),
            ("FRCR", "Demo College of Radiologists", 2014),
        ],
        "registration": ("Demo Medical Council (fictional)", "DEMO-112390"),
        "locations": [("Lakeside Neuroscience Centre", "Lakeside")],
        "languages": "English, Igbo, French",
        "photo_hue": 285,
    },
    {
        "key": "sexual-health",
        "slug": "dr-maren-holt",
        "honorific": "Dr",
        "given_name": "Maren",
        "family_name": "Holt",
        "job_title": "Consultant in sexual health and HIV medicine",
        "specialties": ["sexual-health"],
        "procedures": ["sexual-health-screening"],
        "ratings": ([5] * 5 + [4] * 3, 1, 0),
        "short_bio": (
            "Dr Holt runs a sexual health clinic where people can be tested and treated for "
            "infections in confidence. " + FICTIONAL
        ),
        "bio": (
            "<p>Dr Maren Holt is a consultant in sexual health and HIV medicine. She leads a "
            "walk-in clinic for testing and treatment, and trains nurses to run testing in the "
            f"community.</p><p><em>{FICTIONAL}</em></p>"
        ),
        "qualifications": [
            ("MB BS", "Eastbridge University", 2008),
            ("MRCP", "Demo College of Physicians", 2012),
        ],
        "registration": ("Demo Medical Council (fictional)", "DEMO-118604"),
        "locations": [("The Harbour Clinic", "Portwell")],
        "languages": "English, Norwegian",
        "photo_hue": 330,
    },
]

DVT_ARTICLE = {
    "slug": "deep-vein-thrombosis",
    "title": "Deep vein thrombosis: symptoms, treatment and recovery",
    "search_description": (
        "What a deep vein thrombosis is, the signs to look out for, how it is treated and how "
        "to lower your risk, explained by an interventional radiologist."
    ),
    "standfirst": (
        "A deep vein thrombosis (DVT) is a blood clot in one of the large veins deep inside the "
        "body, most often in the leg. Found early, it can usually be treated at home with "
        "medicine. This guide explains what to look out for, how it is treated and what you "
        "can do to lower your risk."
    ),
    "credits": [
        (CreditRole.AUTHOR, "radiologist"),
        (CreditRole.EDITOR, "editor"),
    ],
    # Who gave the clinical approval: readers see "Medically reviewed by" from it.
    "reviewer": "cardiologist",
    "image": "Veins of the leg (illustration)",
    "specialty": "vascular-medicine",
    # Seven, as on the page the product grew from.
    "procedures": [
        "deep-vein-thrombosis",
        "pulmonary-embolism",
        "venous-duplex-ultrasound",
        "catheter-directed-thrombolysis",
        "endovenous-laser-ablation",
        "cardiac-mri",
        "brain-aneurysm",
    ],
    # Dates are relative to the day the demo is loaded, so it never looks stale.
    "published_days_ago": 240,
    "reviewed_days_ago": 45,
    "body": [
        (
            "question",
            {
                "question": "What is a deep vein thrombosis?",
                "answer": (
                    "<p>Blood normally flows back to the heart through veins. A DVT happens "
                    "when blood thickens and forms a clot in a deep vein, usually in the calf "
                    "or thigh. The clot can partly or fully block the flow of blood.</p>"
                ),
            },
        ),
        (
            "question",
            {
                "question": "What are the symptoms?",
                "answer": (
                    "<p>Symptoms usually affect one leg only. Look out for:</p><ul>"
                    "<li>throbbing or cramping pain in the calf or thigh</li>"
                    "<li>swelling of the leg</li>"
                    "<li>skin that feels warm around the painful area</li>"
                    "<li>red or darker skin, which can be harder to see on brown or black "
                    "skin</li></ul><p>Some people have no symptoms at all.</p>"
                ),
            },
        ),
        (
            "callout",
            {
                "level": CalloutLevel.URGENT,
                "heading": "Call 999 if you suddenly feel short of breath or have chest pain",
                "text": (
                    "<p>These can be signs that part of a clot has travelled to your lungs "
                    "(a pulmonary embolism). This is an emergency.</p>"
                ),
            },
        ),
        (
            "question",
            {
                "question": "Who is more likely to get one?",
                "answer": (
                    "<p>Anyone can get a DVT, but it is more likely if you are over 60, are "
                    "pregnant or have recently had a baby, have had an operation or been in "
                    "hospital, cannot move much, smoke, are overweight, or take the combined "
                    "contraceptive pill or hormone replacement therapy.</p>"
                ),
            },
        ),
        (
            "image",
            {
                "image": {"image": None, "decorative": False, "alt_text": ""},
                "caption": "The deep veins of the leg run between the muscles.",
                "credit": "Clearwell Health (demo illustration)",
            },
        ),
        (
            "question",
            {
                "question": "How is it diagnosed?",
                "answer": (
                    "<p>Your doctor will ask about your symptoms and examine your leg. A blood "
                    "test called a D-dimer can help rule a clot out. If a clot is likely, you "
                    "will have an ultrasound scan of the leg, which is painless and takes "
                    "about 20 minutes.</p>"
                ),
            },
        ),
        (
            "question",
            {
                "question": "How is a DVT treated?",
                "answer": (
                    "<p>Most people take anticoagulant medicine, which stops the clot growing "
                    "while the body slowly breaks it down. Treatment usually lasts at least "
                    "three months.</p><p>For a large clot, an interventional radiologist may "
                    "remove or dissolve it through a thin tube passed into the vein, or place a "
                    "small filter to stop clots reaching the lungs.</p>"
                ),
            },
        ),
        (
            "subtopic",
            {
                "heading": "Preventing clots when you travel",
                "introduction": (
                    "<p>Sitting still for several hours, for example on a long flight, slows "
                    "the blood in your legs. For most people the extra risk is small.</p>"
                ),
                "questions": [
                    {
                        "question": "What can I do on a long journey?",
                        "answer": (
                            "<p>Walk around when you can, flex your ankles and calves every "
                            "half hour, drink plenty of water and avoid alcohol and sleeping "
                            "tablets.</p>"
                        ),
                    },
                    {
                        "question": "Should I wear compression stockings?",
                        "answer": (
                            "<p>They can help if you have had a clot before or have other risk "
                            "factors. Ask a pharmacist or doctor to measure you, because "
                            "stockings that do not fit can do harm.</p>"
                        ),
                    },
                ],
            },
        ),
        (
            "question",
            {
                "question": "What is recovery like?",
                "answer": (
                    "<p>Pain and swelling usually settle over a few weeks. Keep walking, raise "
                    "your leg when resting, and keep taking your medicine for as long as you "
                    "have been told to.</p>"
                ),
            },
        ),
        (
            "sources",
            {
                "heading": "Sources",
                "sources": [
                    {
                        "title": "Venous thromboembolic diseases: diagnosis, management and "
                        "thrombophilia testing",
                        "publisher": "National Institute for Health and Care Excellence",
                        "year": 2023,
                        "url": "",
                    },
                    {
                        "title": "Guidelines on the diagnosis and management of deep vein "
                        "thrombosis",
                        "publisher": "A national society of haematology",
                        "year": 2022,
                        "url": "",
                    },
                ],
            },
        ),
    ],
}


def _short_article(
    slug,
    title,
    standfirst,
    author,
    reviewer,
    questions,
    age_days,
    reviewed_days_ago=None,
    next_review_in_days=None,
    **taxonomy,
):
    return {
        **taxonomy,
        "slug": slug,
        "published_days_ago": age_days,
        "reviewed_days_ago": age_days // 2 if reviewed_days_ago is None else reviewed_days_ago,
        "next_review_in_days": next_review_in_days,
        "reviewer": reviewer,
        "title": title,
        "search_description": standfirst,
        "standfirst": standfirst,
        "credits": [
            (CreditRole.AUTHOR, author),
            (CreditRole.EDITOR, "editor"),
        ],
        "body": [("question", {"question": q, "answer": f"<p>{a}</p>"}) for q, a in questions],
    }


MORE_ARTICLES = [
    _short_article(
        "varicose-veins",
        "Varicose veins and how they are treated",
        "Varicose veins are swollen, twisted veins near the surface of the skin. They are "
        "common and often harmless, but they can ache, itch or lead to skin problems.",
        "surgeon",
        "radiologist",
        [
            (
                "Why do varicose veins happen?",
                "Small valves inside the veins stop blood flowing backwards. When the valves "
                "weaken, blood collects in the vein and it swells.",
            ),
            (
                "What treatments are there?",
                "Options include compression stockings, sealing the vein from inside with heat "
                "(endovenous laser or radiofrequency ablation), injections that close the vein, "
                "and surgery.",
            ),
        ],
        400,
        # Reviewed more than a year ago: the dashboard and the page show it as overdue.
        reviewed_days_ago=380,
        specialty="vascular-surgery",
        procedures=["varicose-veins", "endovenous-laser-ablation", "venous-duplex-ultrasound"],
    ),
    _short_article(
        "cardiac-mri-scan",
        "Having a cardiac MRI scan",
        "A cardiac MRI scan uses a strong magnet and radio waves to take detailed pictures of "
        "the heart. It does not use X-rays. Here is what to expect on the day.",
        "cardiologist",
        "radiologist",
        [
            (
                "How do I prepare?",
                "You can usually eat and drink as normal. Tell the team if you have a "
                "pacemaker or any metal in your body.",
            ),
            (
                "What happens during the scan?",
                "You lie on a table that slides into the scanner. You will be asked to hold "
                "your breath for short periods. The scan takes 30 to 60 minutes.",
            ),
        ],
        150,
        # The reviewer asked for an early re-check: due within the dashboard's 30 days.
        next_review_in_days=20,
        specialty="cardiology",
        procedures=["cardiac-mri"],
    ),
    _short_article(
        "brain-aneurysm",
        "Brain aneurysms: what they are and when they need treatment",
        "A brain aneurysm is a bulge in a blood vessel in the brain. Most never cause "
        "problems, and many are found by chance on a scan for something else.",
        "neurologist",
        "radiologist",
        [
            (
                "Does every aneurysm need treatment?",
                "No. Small aneurysms with a low risk of bursting are often watched with regular "
                "scans instead.",
            ),
            (
                "How are they treated?",
                "Most are treated from inside the blood vessel by filling the bulge with tiny "
                "coils, passed through a thin tube from the groin or wrist.",
            ),
        ],
        90,
        specialty="neuroradiology",
        procedures=["brain-aneurysm", "endovascular-coiling"],
    ),
    _short_article(
        "atrial-fibrillation-and-stroke",
        "Atrial fibrillation and your risk of stroke",
        "Atrial fibrillation makes the heart beat irregularly and can let clots form in the "
        "heart. Treatment lowers the risk of a stroke a great deal.",
        "cardiologist",
        "surgeon",
        [
            (
                "How would I know I have it?",
                "You may feel a fluttering or pounding heartbeat, dizziness or breathlessness, "
                "but many people notice nothing.",
            ),
            (
                "Why does it raise the risk of stroke?",
                "Blood can pool in the upper chambers of the heart and form a clot, which can "
                "travel to the brain.",
            ),
        ],
        30,
        specialty="cardiology",
    ),
    _short_article(
        "sexual-health-check",
        "Having a sexual health check",
        "A sexual health check looks for infections passed on through sex. Many of them cause "
        "no symptoms, so a test is the only way to know. The check is confidential and "
        "usually quick.",
        "sexual-health",
        "cardiologist",
        [
            (
                "Who should have a check?",
                "Anyone who has had sex without a condom with a new partner, or whose partner "
                "has symptoms or an infection. You can have a check even if you feel well.",
            ),
            (
                "What happens at the check?",
                "You are asked a few questions in private. The tests are usually a urine "
                "sample or a swab, which you can often take yourself, and a blood test for "
                "HIV and syphilis. You are only examined if you have symptoms.",
            ),
            (
                "When will I get my results?",
                "Most results come back within one to two weeks. If you need treatment, the "
                "clinic will tell you how to get it: most infections found this way can be "
                "cured, and the others can be kept well under control.",
            ),
            (
                "Who will know about my test?",
                "Sexual health services keep your visit and your results confidential. Ask "
                "the clinic who, if anyone, they would share them with.",
            ),
        ],
        60,
        specialty="sexual-health",
        procedures=["sexual-health-screening"],
    ),
]
