#!/usr/bin/env bash
# From order to refund through the API. Paste it into bash, or run `bash docs/walkthrough.sh`.
# RF is the server, KEY a tenant API key: by default the demo shop's, which `npm start` keeps in
# ./data/demo-credentials.json (a new tenant's comes from `npx returnflow tenants create --json`).
# Run as a file it stops at the first error; pasted, a failed step must not close the terminal.
[[ $- == *i* ]] || set -euo pipefail
RF=${RF:-http://127.0.0.1:3000}
KEY=${KEY:-$(node -p 'require("./data/demo-credentials.json").apiKey')}

# One API call: the key, and on a POST a fresh Idempotency-Key (retrying a call that got no answer
# with the same key is safe; a new call needs a new one). The body comes from stdin.
get() { curl -sS --fail-with-body -H "Authorization: Bearer $KEY" "$RF/api/v1$1"; }
post() {
  curl -sS --fail-with-body -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" --data-binary @- "$RF/api/v1$1"
}
# Reads a field of the JSON on stdin (node, which is there wherever Returnflow runs): `field lines[0].id`.
field() { node -e 'const o = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(eval("o." + process.argv[1]))' "$1"; }

# 1. Import an order (idempotent on externalId: posting it again answers the same order).
#    A new number on every run, delivered three days ago, so it is inside the return window.
N=$(node -p 'Date.now() % 1e8')
DELIVERED=$(node -p 'new Date(Date.now() - 3 * 864e5).toISOString()')
order=$(post /orders <<JSON
{"externalId": "shop-$N", "orderNumber": "#$N", "currency": "USD",
 "placedAt": "2026-11-10T09:00:00Z", "deliveredAt": "$DELIVERED",
 "customer": {"email": "jo-$N@example.com", "name": "Jo Doe"},
 "shippingAmount": 795, "discountAmount": 1000,
 "lines": [
   {"externalId": "1", "sku": "JKT-M", "title": "Rain jacket", "category": "outerwear", "quantity": 1, "unitPrice": 12900},
   {"externalId": "2", "sku": "TEE-L", "title": "Tee", "category": "tops", "quantity": 2, "unitPrice": 2500, "taxAmount": 400}
 ]}
JSON
)
ORDER=$(field id <<<"$order")
LINE=$(field 'lines[0].id' <<<"$order")
echo "order #$N imported: $ORDER, total $(field totalAmount <<<"$order") (minor units), jacket line $LINE"

# 2. Ask what a return would get (writes nothing).
quote=$(post /returns/quote <<JSON
{"orderId": "$ORDER", "resolution": "refund",
 "lines": [{"orderLineId": "$LINE", "quantity": 1, "reasonCode": "wrong_size"}]}
JSON
)
echo "quote: $(field 'decision.outcome' <<<"$quote"), refund total $(field 'refundQuote.total' <<<"$quote")"

# 3. File it: the policy decides at once, with an explanation and the refund breakdown.
ret=$(post /returns <<JSON
{"orderId": "$ORDER", "resolution": "refund", "customerNote": "Too big",
 "lines": [{"orderLineId": "$LINE", "quantity": 1, "reasonCode": "wrong_size", "note": "M is better"}]}
JSON
)
RET=$(field id <<<"$ret")
RLI=$(field 'lines[0].id' <<<"$ret")
TOKEN=$(field trackingToken <<<"$ret")
echo "return $(field rmaNumber <<<"$ret") ($RET) $(field 'decision.outcome' <<<"$ret"): $(field status <<<"$ret")"
echo "  why: $(field 'decision.explanation.join(" ")' <<<"$ret")"
echo "  tracking: $(field trackingUrl <<<"$ret")"

# 4. Move it along (an action the state does not allow answers 409 with the allowed ones).
echo '{"carrier": "UPS", "trackingNumber": "1Z999"}' | post "/returns/$RET/actions/ship" | field status
echo '{}' | post "/returns/$RET/actions/receive" | field status
post "/returns/$RET/actions/inspect" <<JSON | field status
{"lines": [{"returnLineId": "$RLI", "acceptedQuantity": 1, "condition": "like_new"}]}
JSON
echo '{}' | post "/returns/$RET/actions/refund" | field status # refund_pending: the worker pays it out
for _ in $(seq 1 60); do
  status=$(get "/returns/$RET" | field status)
  [ "$status" = refunded ] && break
  sleep 0.5
done
echo "$status"
echo '{}' | post "/returns/$RET/actions/close" | field status

# 5. The timeline, and the public tracking view (no name, email or address in it).
get "/returns/$RET/events" | field 'data.map((e) => `${e.at}  ${e.fromStatus ?? "-"} -> ${e.toStatus}`).join("\n")'
echo "tracking view: $(get "/track/$TOKEN" | field status)"
