"""The clinical review, in the order an article meets it.

- `roles.py`: the editorial roles (Editors, Publishers, Medical reviewers) and the "Clinical
  review" workflow they work in, set up on the article index.
- `rules.py`: what counts as the same clinical content, when the next review is due, and what
  editors and readers are told; no database. The database side (is this revision approved?
  may this reviewer approve it?) is on the models: `ClinicalApproval.objects` and the tasks in
  `models/reviews.py`, the permission testers in `models/articles.py`.
- `lock.py`: the article is read-only while a medical reviewer has it.
- `workflow.py`: what finishing the workflow does (`WAGTAIL_FINISH_WORKFLOW_ACTION`).
- `schedule.py`: the review schedule report, its dashboard panel and menu item.

This file imports nothing: Wagtail imports `review.workflow` while its own models load.
"""
