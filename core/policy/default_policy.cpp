#include "policy/policy.hpp"

namespace planner::core::policy {

const char* defaultPolicyJson() {
    return R"json({
  "schemaVersion": 1,
  "name": "Default governance policy",
  "risk": {
    "questionnaireThresholds": { "moderate": 10, "high": 25, "very_high": 45 },
    "ruleThresholds": { "moderate": 20, "high": 40, "very_high": 70 },
    "recentFailureDays": 90,
    "questions": [
      { "id": "outage", "text": "Will users notice an interruption while the change is made?",
        "answers": [
          { "id": "none", "text": "No interruption", "points": 0 },
          { "id": "degraded", "text": "Reduced service", "points": 5 },
          { "id": "full", "text": "Full outage", "points": 15 } ] },
      { "id": "experience", "text": "How often has the team made this kind of change?",
        "answers": [
          { "id": "routine", "text": "Routinely", "points": 0 },
          { "id": "few", "text": "A few times", "points": 5 },
          { "id": "first", "text": "Never before", "points": 15 } ] },
      { "id": "teams", "text": "How many teams take part in the implementation?",
        "answers": [
          { "id": "one", "text": "One team", "points": 0 },
          { "id": "two", "text": "Two teams", "points": 5 },
          { "id": "many", "text": "Three or more", "points": 10 } ] },
      { "id": "data", "text": "Can data be lost or corrupted if the change goes wrong?",
        "answers": [
          { "id": "no", "text": "No", "points": 0 },
          { "id": "recoverable", "text": "Yes, recoverable from backup", "points": 10 },
          { "id": "irreversible", "text": "Yes, irreversibly", "points": 25 } ] }
    ],
    "rules": [
      { "id": "tier1", "fact": "most_critical_tier", "op": "le", "value": 1, "points": 30,
        "text": "A tier-1 CI is in the impact set." },
      { "id": "tier2", "fact": "most_critical_tier", "op": "eq", "value": 2, "points": 15,
        "text": "A tier-2 CI is the most critical CI in the impact set." },
      { "id": "blast_medium", "fact": "blast_radius", "op": "ge", "value": 5, "points": 10,
        "text": "{value} CIs are impacted (5 or more)." },
      { "id": "blast_large", "fact": "blast_radius", "op": "ge", "value": 20, "points": 20,
        "text": "{value} CIs are impacted (20 or more)." },
      { "id": "emergency", "fact": "change_type", "op": "eq", "value": "emergency", "points": 20,
        "text": "Emergency changes are prepared in a hurry." },
      { "id": "rollback_untested", "fact": "rollback_tested", "op": "eq", "value": false, "points": 10,
        "text": "The rollback has not been tested." },
      { "id": "not_staged", "fact": "tested_in_staging", "op": "eq", "value": false, "points": 10,
        "text": "The change has not been tried in staging." },
      { "id": "no_rollback_steps", "fact": "steps_without_rollback", "op": "gt", "value": 0, "points": 15,
        "text": "{value} runbook steps have no rollback and no reason for lacking one." },
      { "id": "business_hours", "fact": "business_hours", "op": "eq", "value": true, "points": 15,
        "text": "The change runs during business hours." },
      { "id": "recent_failure", "fact": "recent_failures", "op": "ge", "value": 1, "points": 20,
        "text": "{value} changes on these CIs failed or were rolled back in the last 90 days." },
      { "id": "repeated_failures", "fact": "recent_failures", "op": "ge", "value": 3, "points": 20,
        "text": "Repeated failures on these CIs (3 or more in the last 90 days)." },
      { "id": "runbook_too_long", "fact": "runbook_excess_minutes", "op": "gt", "value": 0, "points": 20,
        "text": "The runbook is {value} minutes longer than the window allows with its margin." },
      { "id": "conflicts", "fact": "schedule_conflicts", "op": "gt", "value": 0, "points": 10,
        "text": "{value} scheduling conflicts remain." }
    ]
  },
  "models": [
    { "id": "std-cert-renewal", "name": "TLS certificate renewal",
      "description": "Replace a certificate before it expires, keeping the previous one for rollback.",
      "risk": "low", "maxTotalMinutes": 60, "requiresRollback": true, "allowedCis": [],
      "steps": [
        { "id": "backup", "rollback": "Nothing to undo; the copy is removed after closure.", "title": "Back up the current certificate and key", "maxMinutes": 10 },
        { "id": "install", "rollback": "Reinstall the saved certificate and key and reload the service.", "title": "Install the renewed certificate", "maxMinutes": 20 },
        { "id": "verify", "rollback": "Reinstall the saved certificate if the chain is wrong.", "title": "Verify the served certificate chain", "maxMinutes": 10 } ] },
    { "id": "std-os-patch-nonprod", "name": "Monthly OS patching of non-production servers",
      "description": "Vendor security patches on test and development hosts.",
      "risk": "low", "maxTotalMinutes": 120, "requiresRollback": true, "allowedCis": ["test-*", "dev-*"],
      "steps": [
        { "id": "snapshot", "rollback": "Delete the snapshot.", "title": "Take a VM snapshot", "maxMinutes": 15 },
        { "id": "patch", "rollback": "Revert the VM to the snapshot.", "title": "Apply OS patches and reboot", "maxMinutes": 60 },
        { "id": "smoke", "rollback": "Revert the VM to the snapshot if the smoke tests fail.", "title": "Run smoke tests", "maxMinutes": 20 } ] }
  ],
  "approvalRules": [
    { "id": "change_manager", "role": "change_manager", "quorum": "any",
      "when": { "types": ["normal"] },
      "reason": "Every normal change is authorized by a change manager." },
    { "id": "cab_high_risk", "role": "cab_member", "quorum": "majority",
      "when": { "types": ["normal"], "minRisk": "high" },
      "reason": "High and very high risk changes need a majority of the CAB." },
    { "id": "security", "role": "security_officer", "quorum": "any",
      "when": { "types": ["normal", "emergency"], "ciTag": "security" },
      "reason": "A CI tagged security is impacted." },
    { "id": "tier1_service_owner", "role": "service_owner", "quorum": "any", "serviceOwner": true,
      "when": { "types": ["normal", "emergency"], "serviceTierAtMost": 1 },
      "reason": "A tier-1 business service is impacted; its owner approves." },
    { "id": "emergency_change_manager", "role": "change_manager", "quorum": "any",
      "when": { "types": ["emergency"] },
      "reason": "An emergency change is confirmed by a change manager." },
    { "id": "emergency_cab", "role": "cab_member", "quorum": "majority", "retrospective": true,
      "when": { "types": ["emergency"] },
      "reason": "The CAB reviews every emergency change after the fact." }
  ],
  "separationOfDuties": { "excludeRequester": true, "excludeImplementer": true, "excludeStepOwners": true },
  "lifecycle": {
    "reviewRequiredFor": ["normal", "emergency"],
    "reviewRequiredAfterFailure": true,
    "requireQuestionnaireForAssessment": true,
    "forbidStartBeforePlannedStart": true
  }
}
)json";
}

}  // namespace planner::core::policy
