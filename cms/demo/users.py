"""Staff groups and the three demo users.

Groups (exact names, other apps look them up): "Editors" write and publish content (notices
through moderation); "Duty
staff" answer inquiries and chats at the desk; "Supervisors" oversee the desk and approve
notices (cms.workflows adds them to the notice moderation task). Desk permissions are granted by
desk.demo.seed(), which also attaches the users to departments.

Model permissions are "app_label.codename"; those marked optional only exist once the model is
registered as a snippet (Wagtail creates e.g. cms.publish_faq then) and are skipped otherwise.
"""

EDITORS = "Editors"
DUTY_STAFF = "Duty staff"
SUPERVISORS = "Supervisors"

ACCESS_ADMIN = "wagtailadmin.access_admin"

GROUPS = {
    EDITORS: {
        "permissions": [
            ACCESS_ADMIN,
            "cms.add_faq",
            "cms.change_faq",
            "cms.delete_faq",
            "cms.view_faq",
            "cms.add_faqcategory",
            "cms.change_faqcategory",
            "cms.delete_faqcategory",
            "cms.view_faqcategory",
            "cms.add_synonymset",
            "cms.change_synonymset",
            "cms.delete_synonymset",
            "cms.view_synonymset",
            "simple_translation.submit_translation",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
            "wagtaildocs.delete_document",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtailimages.delete_image",
        ],
        "optional_permissions": ["cms.publish_faq", "cms.lock_faq", "cms.unlock_faq"],
        # On both home pages (and so on every page below them).
        "page_permissions": ["add_page", "change_page", "lock_page", "unlock_page"],
        # Publishing directly only in these sections of each home. Notices (and the home pages
        # themselves) are submitted to the "通知审核 / Notice moderation" workflow and approved by a
        # supervisor: a page permission is inherited by the whole subtree, so publish on the home
        # would let editors bypass the moderation of notices.
        "publish_sections": ["guides", "faq", "stations", "about", "privacy", "accessibility"],
        # On the root collection.
        "collection_permissions": [
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
        ],
    },
    DUTY_STAFF: {
        "permissions": [ACCESS_ADMIN, "cms.view_faq"],
        "optional_permissions": [],
        "page_permissions": [],
        "publish_sections": [],
        "collection_permissions": [],
    },
    SUPERVISORS: {
        "permissions": [ACCESS_ADMIN, "cms.view_faq"],
        "optional_permissions": [],
        # Approving a notice in the "通知审核 / Notice moderation" workflow publishes it as the approver,
        # which Wagtail allows only with publish permission on the page. Publish without change:
        # supervisors approve what editors wrote, they do not edit pages themselves.
        "page_permissions": ["publish_page"],
        "publish_sections": [],
        "collection_permissions": [],
    },
}

USERS = [
    {
        "username": "editor",
        "first_name": "敏",
        "last_name": "李",
        "email": "editor@police.example",
        "groups": [EDITORS],
        "role": "content editor / 内容编辑",
    },
    {
        "username": "duty",
        "first_name": "强",
        "last_name": "王",
        "email": "duty@police.example",
        "groups": [DUTY_STAFF],
        "role": "duty officer at the desk / 值班民警",
    },
    {
        "username": "supervisor",
        "first_name": "静",
        "last_name": "陈",
        "email": "supervisor@police.example",
        "groups": [SUPERVISORS],
        "role": "desk supervisor, approves notices / 值班主管（审核通知）",
    },
]
