"""The verb codes the log stores, with the translated phrase each is shown as."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# i18n: each phrase describes one accountability-log event; the subject is shown beside it.
VERBS = {
    "proposal.created": _l("Proposal drafted"),
    "proposal.edited": _l("Proposal edited"),
    "proposal.opened": _l("Proposal opened for comment"),
    "proposal.under_consideration": _l("Proposal put under consideration"),
    "proposal.withdrawn": _l("Proposal withdrawn by its author"),
    "proposal.merged": _l("Proposal merged into another"),
    "proposal.adopted": _l("Proposal adopted"),
    "proposal.rejected": _l("Proposal rejected"),
    "ballot.opened": _l("Ballot opened"),
    "ballot.closed": _l("Ballot closed"),
    "decision.recorded": _l("Decision recorded"),
    "decision.resolution_recorded": _l("Resolution text recorded"),
    "commitment.created": _l("Commitment created"),
    "commitment.milestone_added": _l("Milestone added"),
    "progress.posted": _l("Progress posted"),
    "group.created": _l("Working group created"),
    "group.edited": _l("Working group edited"),
    "seat.added": _l("Seat added to a working group"),
    "seat.edited": _l("Seat changed"),
    "seat.assigned": _l("Seat given to a member"),
    "seat.vacated": _l("Seat left vacant"),
    "seat.removed": _l("Seat removed"),
    "organisation.created": _l("Organisation added"),
    "organisation.edited": _l("Organisation edited"),
    # Proposal categories, kept by administrators (role-matrix lane).
    "category.created": _l("Proposal category added"),
    "category.edited": _l("Proposal category edited"),
    "user.admin_granted": _l("Administrator role granted"),
    "user.admin_removed": _l("Administrator role removed"),
    "user.agency_contact_set": _l("Agency contact appointed"),
    "user.agency_contact_removed": _l("Agency contact role removed"),
    # Blocks and the moderator role (moderation lane A2).
    "user.blocked": _l("Account blocked by a moderator"),
    "user.unblocked": _l("Block lifted by a moderator"),
    "user.moderator_granted": _l("Moderator role granted"),
    "user.moderator_removed": _l("Moderator role removed"),
    # A person erased their account (privacy lane B2): contributions stay under a pseudonym.
    "user.erased": _l("Account deleted by its owner"),
    # Hiding and restoring contributions, dismissing reports (moderation lane A1).
    "moderation.hidden": _l("Contribution hidden by a moderator"),
    "moderation.restored": _l("Contribution restored by a moderator"),
    "moderation.dismissed": _l("Reports dismissed by a moderator"),
    "two_factor.required": _l("Two-factor authentication required for a role"),
    "two_factor.not_required": _l("Two-factor authentication no longer required for a role"),
    "data.imported": _l("Open data imported"),
    "kpi.created": _l("KPI created"),
    "kpi.edited": _l("KPI edited"),
    "kpi.measurement_recorded": _l("KPI measurement recorded"),
    "seat.deputy_named": _l("Deputy named for a seat"),
    "seat.deputy_removed": _l("Deputy removed from a seat"),
    "proposal.agency_assigned": _l("Responsible agency assigned"),
    "proposal.answered": _l("Official answer given"),
    "proposal.answer_overdue": _l("Official answer overdue"),
    "commitment.weights_set": _l("Milestone weights set"),
    "commitment.milestone_updated": _l("Milestone completion updated"),
    "task.created": _l("Volunteer task offered"),
    "task.edited": _l("Volunteer task changed"),
    "progress.confirmed": _l("Progress confirmed by a participant"),
    "progress.disputed": _l("Progress disputed by a participant"),
    "dispute.answered": _l("Dispute answered by the lead agency"),
    "dispute.overdue": _l("Dispute answer overdue"),
    "assessment.recorded": _l("Assessment recorded"),
    "entry.corrected": _l("Correction"),
    # A working group's meetings (การประชุม).
    "meeting.scheduled": _l("Meeting scheduled"),
    "meeting.edited": _l("Meeting details changed"),
    "meeting.cancelled": _l("Meeting cancelled"),
    "meeting.held": _l("Meeting held"),
    "meeting.agenda_changed": _l("Meeting agenda changed"),
    "meeting.attendance_recorded": _l("Meeting attendance recorded"),
    "meeting.resolution_recorded": _l("Meeting resolution recorded"),
    # The minutes of a meeting (รายงานการประชุม).
    "minutes.edited": _l("Meeting minutes edited"),
    "minutes.published": _l("Meeting minutes published"),
    "minutes.approved": _l("Meeting minutes approved at a later meeting"),
    "minutes.corrected": _l("Correction of approved meeting minutes"),
}

SUBJECT_TYPES = {
    "proposal": _l("Proposal"),
    "ballot": _l("Ballot"),
    "decision": _l("Decision"),
    "commitment": _l("Commitment"),
    "group": _l("Working group"),
    "seat": _l("Seat"),
    "organisation": _l("Organisation"),
    "user": _l("Person"),
    "site": _l("Site settings"),
    "data_import": _l("Data import"),
    "kpi": _l("KPI"),
    "meeting": _l("Meeting"),
    "category": _l("Proposal category"),  # role-matrix lane
    "comment": _l("Comment"),  # moderation lane A1
}


def verb_label(verb: str) -> str:
    label = VERBS.get(verb)
    return str(label) if label is not None else verb
