#include "io/push_calls.hpp"

namespace planner::core::io {
namespace {

// Single-quoted for bash.
std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

const char* kServiceNow = R"SH(: "${SN_INSTANCE:?set SN_INSTANCE, e.g. https://example.service-now.com}"
: "${SN_USER:?set SN_USER (an integration user)}" "${SN_PASSWORD:?set SN_PASSWORD}"
sn() { curl -sS --fail-with-body -u "$SN_USER:$SN_PASSWORD" -H 'Accept: application/json' -H 'Content-Type: application/json' "$@"; }
# sys_id of the record of table $1 whose name is $2
sys_id() {
  sn -G "$SN_INSTANCE/api/now/table/$1" --data-urlencode "sysparm_query=name=$2" \
    --data-urlencode sysparm_fields=sys_id --data-urlencode sysparm_limit=1 | jq -r '.result[0].sys_id // empty'
}
# a record's fields with each of its references resolved to a sys_id
body() {
  local out field table name id
  out=$(jq -c '.fields' <<<"$1")
  while IFS=$'\t' read -r field table name; do
    [ -n "$field" ] || continue
    id=$(sys_id "$table" "$name")
    [ -n "$id" ] || { echo "ServiceNow has no $table record named '$name' (for $field)" >&2; return 1; }
    out=$(jq -c --arg f "$field" --arg v "$id" '. + {($f): $v}' <<<"$out")
  done < <(jq -r '.references | to_entries[] | [.key, .value.table, .value.name] | @tsv' <<<"$1")
  printf '%s\n' "$out"
}
# 1. the change, created in state New (no sysparm_input_display_value: choice fields carry values)
CR=$(body "$(jq -c .change_request "$PAYLOAD")")
SYS_ID=$(sn "$SN_INSTANCE/api/now/table/change_request" --data "$CR" | jq -r .result.sys_id)
# 2. affected CIs (task_ci), only possible while the change is New
jq -c '.task_ci[]' "$PAYLOAD" | while read -r rec; do
  sn "$SN_INSTANCE/api/now/table/task_ci" --data "$(body "$rec" | jq -c --arg t "$SYS_ID" '. + {task: $t}')" >/dev/null
done
# 3. change tasks, inside the planned window
jq -c '.change_task[]' "$PAYLOAD" | while read -r rec; do
  sn "$SN_INSTANCE/api/now/table/change_task" \
    --data "$(body "$rec" | jq -c --arg c "$SYS_ID" '. + {change_request: $c}')" >/dev/null
done
# 4. state moves, one at a time as the change model allows; a refused move stops here
jq -c '.state_moves[]' "$PAYLOAD" | while read -r move; do
  got=$(sn -X PATCH "$SN_INSTANCE/api/now/table/change_request/$SYS_ID" --data "$move" | jq -r .result.state)
  want=$(jq -r .state <<<"$move")
  [ "$got" = "$want" ] || { echo "ServiceNow kept state $got instead of $want (change model or approvals)" >&2; exit 1; }
done
# 5. verified approval signatures as a work note
if jq -e '.work_note != null' "$PAYLOAD" >/dev/null; then
  sn -X PATCH "$SN_INSTANCE/api/now/table/change_request/$SYS_ID" --data "$(jq -c .work_note "$PAYLOAD")" >/dev/null
fi
echo "$SYS_ID"
)SH";

const char* kGlpi = R"SH(: "${GLPI_URL:?set GLPI_URL, e.g. https://glpi.example.org/apirest.php}"
: "${GLPI_APP_TOKEN:?set GLPI_APP_TOKEN}" "${GLPI_USER_TOKEN:?set GLPI_USER_TOKEN}"
GLPI_USER_FIELD=${GLPI_USER_FIELD:-name}   # the User field holding the approvers' trusted names (name = login)
S=$(curl -sS --fail-with-body -H "App-Token: $GLPI_APP_TOKEN" -H "Authorization: user_token $GLPI_USER_TOKEN" \
  "$GLPI_URL/initSession" | jq -r .session_token)
g() { curl -sS --fail-with-body -H "App-Token: $GLPI_APP_TOKEN" -H "Session-Token: $S" -H 'Content-Type: application/json' "$@"; }
trap 'g "$GLPI_URL/killSession" >/dev/null 2>&1 || true' EXIT
# id of the item of type $1 whose field $3 (default name) is exactly $2
item_id() {
  g -G "$GLPI_URL/$1/" --data-urlencode "searchText[${3:-name}]=^$2\$" --data-urlencode range=0-1 |
    jq -r 'if type == "array" then (.[0].id // empty) else empty end'
}
# 1. the change, in the site's entity
ID=$(g "$GLPI_URL/Change/" --data "$(jq -c .Change "$PAYLOAD")" | jq -r .id)
# 2. affected items, looked up by type and name
jq -c '.Change_Item[]' "$PAYLOAD" | while read -r it; do
  type=$(jq -r .itemtype <<<"$it"); name=$(jq -r .name <<<"$it")
  iid=$(item_id "$type" "$name")
  [ -n "$iid" ] || { echo "GLPI has no $type named '$name'" >&2; exit 1; }
  g "$GLPI_URL/Change_Item/" --data "$(jq -nc --argjson c "$ID" --arg t "$type" --argjson i "$iid" \
    '{input: {changes_id: $c, itemtype: $t, items_id: $i}}')" >/dev/null
done
# 3. tasks
if jq -e '.ChangeTask.input | length > 0' "$PAYLOAD" >/dev/null; then
  g "$GLPI_URL/ChangeTask/" --data "$(jq -c --argjson c "$ID" '.ChangeTask | .input |= map(. + {changes_id: $c})' "$PAYLOAD")" >/dev/null
fi
# 4. validation requests to the signers (GLPI 11: itemtype_target / items_id_target; GLPI creates them waiting)
jq -c '.ChangeValidation[]' "$PAYLOAD" | while read -r v; do
  user=$(jq -r .user <<<"$v")
  uid=$(item_id User "$user" "$GLPI_USER_FIELD")
  [ -n "$uid" ] || { echo "GLPI has no user whose $GLPI_USER_FIELD is '$user'" >&2; exit 1; }
  g "$GLPI_URL/ChangeValidation/" --data "$(jq -c --argjson c "$ID" --argjson u "$uid" \
    '{input: {changes_id: $c, itemtype_target: "User", items_id_target: $u, comment_submission}}' <<<"$v")" >/dev/null
done
# 5. a private follow-up listing the verified signatures
if jq -e '.ITILFollowup != null' "$PAYLOAD" >/dev/null; then
  g "$GLPI_URL/ITILFollowup/" --data "$(jq -c --argjson c "$ID" '.ITILFollowup | .input.items_id = $c' "$PAYLOAD")" >/dev/null
fi
echo "$ID"
)SH";

const char* kItop = R"SH(: "${ITOP_URL:?set ITOP_URL, e.g. https://itop.example.org/webservices/rest.php}"
: "${ITOP_USER:?set ITOP_USER (a user with the REST Services User profile)}" "${ITOP_PASSWORD:?set ITOP_PASSWORD}"
itop() {
  curl -sS --fail-with-body "$ITOP_URL?version=1.3" --data-urlencode "auth_user=$ITOP_USER" \
    --data-urlencode "auth_pwd=$ITOP_PASSWORD" --data-urlencode "json_data=$1" |
    jq -e 'if .code == 0 then . else error("iTop refused: \(.message)") end'
}
# 1. core/create in the new state
KEY=$(itop "$(jq -c .create "$PAYLOAD")" | jq -r '[.objects[]][0].key')
# 2. core/apply_stimulus, one transition at a time, with the fields each state requires
jq -c '.stimuli[]' "$PAYLOAD" | while read -r op; do
  itop "$(jq -c --argjson k "$KEY" '.key = $k' <<<"$op")" >/dev/null
done
# 3. verified approval signatures into the private log
if jq -e '.log != null' "$PAYLOAD" >/dev/null; then
  itop "$(jq -c --argjson k "$KEY" '.log | .key = $k' "$PAYLOAD")" >/dev/null
fi
echo "$KEY"
)SH";

const char* kJira = R"SH(: "${JIRA_SITE:?set JIRA_SITE, e.g. https://example.atlassian.net}"
: "${JIRA_EMAIL:?set JIRA_EMAIL}" "${JIRA_API_TOKEN:?set JIRA_API_TOKEN}"
# one call: POST /rest/api/3/issue with the fields of the site's mapping
curl -sS --fail-with-body -u "$JIRA_EMAIL:$JIRA_API_TOKEN" -H 'Accept: application/json' \
  -H 'Content-Type: application/json' "$JIRA_SITE/rest/api/3/issue" --data @"$PAYLOAD" | jq -r .key
)SH";

const char* kFreshservice = R"SH(: "${FS_URL:?set FS_URL, e.g. https://example.freshservice.com}"
: "${FS_API_KEY:?set FS_API_KEY}"
fs() { curl -sS --fail-with-body -u "$FS_API_KEY:X" -H 'Content-Type: application/json' "$@"; }
# 1. the change (with the site's requester)
ID=$(fs "$FS_URL/api/v2/changes" --data "$(jq -c .create "$PAYLOAD")" | jq -r .change.id)
# 2. planning fields in a second call
if jq -e '.update.planning_fields | length > 0' "$PAYLOAD" >/dev/null; then
  fs -X PUT "$FS_URL/api/v2/changes/$ID" --data "$(jq -c .update "$PAYLOAD")" >/dev/null
fi
# 3. verified approval signatures as a note (change notes are seen by agents only)
if jq -e '.note != null' "$PAYLOAD" >/dev/null; then
  fs "$FS_URL/api/v2/changes/$ID/notes" --data "$(jq -c .note "$PAYLOAD")" >/dev/null
fi
echo "$ID"
)SH";

}  // namespace

std::string pushCalls(TicketingSystem system, const std::string& payloadFile, const std::string& changeId) {
    std::string id;  // a comment line: no control character may end it
    for (char ch : changeId) id += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? '?' : ch;
    std::string out = "#!/bin/bash\n# Pushes change " + id + " into " + toString(system) +
                      " (docs/ticketing.md). Needs curl and jq.\n"
                      "# Fill in the variables named below; the payload file is $PAYLOAD.\n"
                      "set -euo pipefail\n"
                      "PAYLOAD=${PAYLOAD:-" +
                      shellQuote(payloadFile) + "}\n";
    switch (system) {
        case TicketingSystem::ServiceNow:
            out += kServiceNow;
            break;
        case TicketingSystem::Glpi:
            out += kGlpi;
            break;
        case TicketingSystem::Itop:
            out += kItop;
            break;
        case TicketingSystem::Jira:
            out += kJira;
            break;
        case TicketingSystem::Freshservice:
            out += kFreshservice;
            break;
    }
    return out;
}

}  // namespace planner::core::io
