#!/usr/bin/python3
"""A libolm peer for interop tests, driven over JSON lines on stdin/stdout.

Run it only with Debian's /usr/bin/python3: python3-olm (libolm 3.2.13) is installed for that interpreter.
Each request is one JSON object with an "op" and a request "id"; each reply is one JSON object with the same "id"
and either a "result" or an "error" (the libolm error text). Objects (accounts, sessions, group sessions) are kept
by the names the caller gives them. Plaintexts are UTF-8 strings.
"""
import json
import sys

import olm

accounts = {}
sessions = {}
outbound_groups = {}
inbound_groups = {}


def message_of(kind, body):
    return olm.OlmPreKeyMessage(body) if kind == 0 else olm.OlmMessage(body)


def handle(req):
    op = req["op"]
    if op == "create_account":
        account = olm.Account()
        accounts[req["account"]] = account
        return account.identity_keys
    if op == "generate_one_time_keys":
        account = accounts[req["account"]]
        account.generate_one_time_keys(req["count"])
        keys = account.one_time_keys["curve25519"]
        account.mark_keys_as_published()
        return {"keys": keys}
    if op == "generate_fallback_key":
        account = accounts[req["account"]]
        account.generate_fallback_key()
        keys = account.fallback_key["curve25519"]
        account.mark_keys_as_published()
        return {"keys": keys}
    if op == "sign":
        return {"signature": accounts[req["account"]].sign(req["message"])}
    if op == "outbound_session":
        session = olm.OutboundSession(accounts[req["account"]], req["identity_key"], req["one_time_key"])
        sessions[req["session"]] = session
        return {"session_id": session.id}
    if op == "inbound_session":
        account = accounts[req["account"]]
        message = olm.OlmPreKeyMessage(req["body"])
        session = olm.InboundSession(account, message, req.get("identity_key"))
        plaintext = session.decrypt(message)
        account.remove_one_time_keys(session)
        sessions[req["session"]] = session
        return {"session_id": session.id, "plaintext": plaintext}
    if op == "matches":
        message = olm.OlmPreKeyMessage(req["body"])
        return {"matches": sessions[req["session"]].matches(message, req.get("identity_key"))}
    if op == "encrypt":
        message = sessions[req["session"]].encrypt(req["plaintext"])
        return {"type": message.message_type, "body": message.ciphertext}
    if op == "decrypt":
        plaintext = sessions[req["session"]].decrypt(message_of(req["type"], req["body"]))
        return {"plaintext": plaintext}
    if op == "megolm_outbound":
        group = olm.OutboundGroupSession()
        outbound_groups[req["group"]] = group
        return {"session_id": group.id, "session_key": group.session_key, "index": group.message_index}
    if op == "megolm_session_key":
        group = outbound_groups[req["group"]]
        return {"session_key": group.session_key, "index": group.message_index}
    if op == "megolm_encrypt":
        group = outbound_groups[req["group"]]
        index = group.message_index
        return {"ciphertext": group.encrypt(req["plaintext"]), "index": index}
    if op == "megolm_inbound":
        group = olm.InboundGroupSession(req["session_key"])
        inbound_groups[req["group"]] = group
        return {"session_id": group.id, "first_known_index": group.first_known_index}
    if op == "megolm_import":
        group = olm.InboundGroupSession.import_session(req["export"])
        inbound_groups[req["group"]] = group
        return {"session_id": group.id, "first_known_index": group.first_known_index}
    if op == "megolm_decrypt":
        plaintext, index = inbound_groups[req["group"]].decrypt(req["ciphertext"])
        return {"plaintext": plaintext, "index": index}
    if op == "megolm_export":
        return {"export": inbound_groups[req["group"]].export_session(req["index"])}
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            reply = {"id": req.get("id"), "result": handle(req)}
        except Exception as error:  # the caller asserts on libolm's error text
            reply = {"id": req.get("id"), "error": "%s: %s" % (type(error).__name__, error)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
