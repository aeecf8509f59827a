# SPDX-License-Identifier: Apache-2.0 OR MIT
"""ECDSA on NIST P-256 with SHA-256, in plain Python: signing with deterministic nonces
(RFC 6979 §3.2), verification, and reading a private key from a file.

tbfpack.py signs apps with it (the EcdsaNistP256 credential, doc/reference/025); the tools'
tests and loader_model.py verify with it. Python integers do the arithmetic; nothing here is
constant time, so it is a build tool for development keys, not a place to keep secrets safe.

Usage:
    key = ecdsa_p256.load_private_key(path)      # PEM (SEC1 "EC PRIVATE KEY" or PKCS#8) or hex
    signature = ecdsa_p256.sign(key, message)    # 64 bytes: r then s, big-endian
    public = ecdsa_p256.public_key(key)          # 64 bytes: x then y, big-endian
    ecdsa_p256.verify(public, message, signature)   # True or False

Invariants: the same key and message always give the same signature; sign() never returns r
or s equal to 0.
"""
import base64
import binascii
import hashlib
import hmac

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)


class KeyError_(ValueError):
    """A key file that holds no P-256 private key; the message says why."""


def _add(p, q):
    """Affine addition; None is the point at infinity."""
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0]:
        if (p[1] + q[1]) % P == 0:
            return None
        slope = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return x, (slope * (p[0] - x) - p[1]) % P


def _multiply(k, point):
    result = None
    for bit in bin(k)[2:]:
        result = _add(result, result)
        if bit == "1":
            result = _add(result, point)
    return result


def _int(data):
    return int.from_bytes(data, "big")


def _bytes32(value):
    return value.to_bytes(32, "big")


def public_key(private):
    x, y = _multiply(private, G)
    return _bytes32(x) + _bytes32(y)


def is_on_curve(x, y):
    return 0 <= x < P and 0 <= y < P and (y * y - (x * x * x + A * x + B)) % P == 0


def _rfc6979_nonces(private, digest):
    """The candidate nonces k of RFC 6979 §3.2 for SHA-256 and a 256-bit order."""
    x = _bytes32(private)
    h = _bytes32(_int(digest) % N)
    v = b"\x01" * 32
    k = b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        candidate = _int(v)
        if 1 <= candidate < N:
            yield candidate
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def sign_digest(private, digest):
    if not 1 <= private < N:
        raise ValueError("private key out of range")
    e = _int(digest) % N
    for k in _rfc6979_nonces(private, digest):
        r = _multiply(k, G)[0] % N
        if r == 0:
            continue
        s = pow(k, -1, N) * (e + r * private) % N
        if s != 0:
            return _bytes32(r) + _bytes32(s)


def sign(private, message):
    return sign_digest(private, hashlib.sha256(message).digest())


def verify_digest(public, digest, signature):
    if len(public) != 64 or len(signature) != 64:
        return False
    qx, qy = _int(public[:32]), _int(public[32:])
    r, s = _int(signature[:32]), _int(signature[32:])
    if not is_on_curve(qx, qy) or not (1 <= r < N and 1 <= s < N):
        return False
    w = pow(s, -1, N)
    point = _add(_multiply(_int(digest) % N * w % N, G), _multiply(r * w % N, (qx, qy)))
    return point is not None and point[0] % N == r


def verify(public, message, signature):
    return verify_digest(public, hashlib.sha256(message).digest(), signature)


def _der_items(data):
    """The (tag, contents) pairs of a DER sequence's body."""
    items = []
    position = 0
    while position < len(data):
        tag = data[position]
        length = data[position + 1]
        position += 2
        if length & 0x80:
            count = length & 0x7F
            length = _int(data[position:position + count])
            position += count
        items.append((tag, data[position:position + length]))
        position += length
    return items


def _private_from_der(der):
    outer = _der_items(der)
    if len(outer) != 1 or outer[0][0] != 0x30:
        raise KeyError_("not a DER sequence")
    items = _der_items(outer[0][1])
    # SEC1: version 1, OCTET STRING key. PKCS#8: version 0, algorithm, OCTET STRING (SEC1).
    if len(items) >= 2 and items[0] == (0x02, b"\x01") and items[1][0] == 0x04:
        return _int(items[1][1])
    if len(items) >= 3 and items[0] == (0x02, b"\x00") and items[2][0] == 0x04:
        return _private_from_der(items[2][1])
    raise KeyError_("not a SEC1 or PKCS#8 EC private key")


def parse_private_key(text):
    """A private key from PEM (SEC1 or PKCS#8) or 64 hex digits."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        lines = [line for line in text.splitlines() if not line.startswith("-----")]
        try:
            der = base64.b64decode("".join(lines), validate=True)
            private = _private_from_der(der)
        except (binascii.Error, IndexError) as error:
            raise KeyError_("malformed PEM: %s" % error) from None
    else:
        try:
            private = int(text, 16)
        except ValueError:
            raise KeyError_("neither PEM nor 64 hex digits") from None
    if not 1 <= private < N:
        raise KeyError_("the private value is not in [1, n-1]: not a P-256 key")
    return private


def load_private_key(path):
    with open(path, "r", encoding="ascii") as handle:
        return parse_private_key(handle.read())


def c_initializer(public):
    """The public key as the bytes of a C `struct credential_key` initializer."""
    rows = []
    for at in range(0, len(public), 12):
        rows.append("      " + " ".join("0x%02x," % b for b in public[at:at + 12]))
    return "{ .public_key = {\n" + "\n".join(rows) + "\n  } }"


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(
        prog="ecdsa_p256.py",
        description="Print the public key of a P-256 private key file (PEM or hex), as hex "
                    "and as a C initializer for a board's credential_key list.")
    parser.add_argument("key", help="private key file")
    args = parser.parse_args(argv)
    try:
        public = public_key(load_private_key(args.key))
    except (OSError, ValueError) as error:
        print("ecdsa_p256: error: %s: %s" % (args.key, error))
        return 1
    print(public.hex())
    print(c_initializer(public))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main())
