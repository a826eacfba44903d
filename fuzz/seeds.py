#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from the official test vectors.

Usage: seeds.py VECTORS_DIR OUT_DIR
Creates OUT_DIR/fuzz_messages, OUT_DIR/fuzz_codec and OUT_DIR/fuzz_unprotect.
A seed is a selector byte (the struct the target decodes, see
fuzz_messages.cpp; none for fuzz_unprotect) and an encoding from the vectors,
so nothing large is kept in the repository.
"""
import json
import os
import sys

# field of messages.json -> selector in fuzz_messages.cpp
MESSAGES = {
    "mls_welcome": 0, "mls_group_info": 0, "mls_key_package": 0,
    "public_message_application": 0, "public_message_proposal": 0,
    "public_message_commit": 0, "private_message": 0,
    "group_secrets": 19, "commit": 17,
}
PROTECTION = {
    "proposal_pub": 0, "proposal_priv": 0, "commit_pub": 0, "commit_priv": 0,
    "application_priv": 0, "proposal": 16, "commit": 17,
}


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def main():
    vectors, out = sys.argv[1], sys.argv[2]
    msg_dir = os.path.join(out, "fuzz_messages")
    codec_dir = os.path.join(out, "fuzz_codec")
    unprotect_dir = os.path.join(out, "fuzz_unprotect")
    for d in (msg_dir, codec_dir, unprotect_dir):
        os.makedirs(d, exist_ok=True)

    def load(name):
        with open(os.path.join(vectors, name)) as f:
            return json.load(f)

    n = 0
    for i, case in enumerate(load("messages.json")[:40]):
        for field, sel in MESSAGES.items():
            write(msg_dir, f"messages-{i}-{field}", bytes([sel]) + bytes.fromhex(case[field]))
            n += 1
    for i, case in enumerate(load("message-protection.json")):
        for field, sel in PROTECTION.items():
            write(msg_dir, f"protection-{i}-{field}", bytes([sel]) + bytes.fromhex(case[field]))
            n += 1
    # fuzz_unprotect's epoch is that of case 0; its messages take no selector.
    for field, sel in PROTECTION.items():
        if sel == 0:
            write(unprotect_dir, f"protection-0-{field}",
                  bytes.fromhex(load("message-protection.json")[0][field]))
    for i, case in enumerate(load("transcript-hashes.json")):
        write(msg_dir, f"transcript-{i}", bytes([3]) + bytes.fromhex(case["authenticated_content"]))
        n += 1
    for i, case in enumerate(load("deserialization.json")):
        write(codec_dir, f"varint-{i}", bytes([0]) + bytes.fromhex(case["vlbytes_header"]))
    # opaque<V>, vectors and optionals of each header size.
    for sel, body in [(1, b"\x03abc"), (2, b"\x04\x00\x01\x00\x02"), (4, b"\x04\x01a\x01b"),
                      (5, b"\x03\x02\x01a"), (6, b"\x01\x02hi"), (7, b"\x01\x00\x00\x00\x07"),
                      (8, b"\x03\x00\x01\x00"), (9, b"abcd"), (10, b"\x01"),
                      (1, b"\x40\x40" + b"x" * 64), (11, b"\x03\x40\x02ab")]:
        write(codec_dir, f"seed-{sel}-{len(body)}", bytes([sel]) + body)
    print(f"{n} message seeds in {msg_dir}")


if __name__ == "__main__":
    main()
