"""The secret ballot's cryptography and the count, free of Django so that anyone can rerun them.

- `crypto`: the election's key pair (X25519, libsodium sealed boxes through PyNaCl), its
  k-of-n Shamir split (PyCryptodome) and recombination, the ballot box's fingerprint.
- `count`: approval, plurality and Scottish STV counts with the balance rule (a cap per
  country), ties broken by a lot seeded from the published list's hash.
- `bundle`: the published election file (canonical JSON) and its verification.
"""
