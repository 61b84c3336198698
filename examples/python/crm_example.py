#!/usr/bin/env python3
"""Using libcrm.so from Python with ctypes only (no compiled extension).

    python3 crm_example.py [path/to/libcrm.so]      # or: CRM_LIB=... python3 crm_example.py

Opens a database in a temporary directory, creates an account and a contact
with Japanese names, updates the contact, reads its history, and shows how an
error (a duplicate email) comes back as a code plus a message. Exits non-zero
if anything is not as expected. Records cross the C ABI as JSON documents, so
the json module is the whole "binding".
"""
import ctypes
import json
import os
import sys
import tempfile

# ---- loading the library and declaring the functions we use ------------------

CRM_OK = 0
CRM_EEXISTS = -2
CRM_EINVALID = -3
CRM_ENOTFOUND = -1
CRM_ITEROVER = -31
CRM_ACCOUNT, CRM_CONTACT = 3, 4
CRM_PIPELINE, CRM_DEAL, CRM_INTERACTION = 7, 8, 9


def load(path):
    lib = ctypes.CDLL(path)
    c_int64_p = ctypes.POINTER(ctypes.c_int64)
    c_char_pp = ctypes.POINTER(ctypes.c_void_p)  # char ** out: owned, released with crm_free
    db_p = ctypes.c_void_p                        # crm_db * (opaque)
    signatures = {
        # name: (restype, argtypes)
        "crm_version": (ctypes.c_char_p, []),
        "crm_abi_version": (ctypes.c_int, []),
        "crm_errmsg": (ctypes.c_char_p, []),       # borrowed, static until the next crm call
        "crm_errfield": (ctypes.c_char_p, []),
        "crm_strerror": (ctypes.c_char_p, [ctypes.c_int]),
        "crm_free": (None, [ctypes.c_void_p]),
        "crm_db_open": (ctypes.c_int, [ctypes.POINTER(db_p), ctypes.c_char_p, ctypes.c_void_p]),
        "crm_db_close": (None, [db_p]),
        "crm_record_create": (ctypes.c_int, [db_p, ctypes.c_int, ctypes.c_char_p, c_int64_p]),
        "crm_record_get": (ctypes.c_int, [db_p, ctypes.c_int, ctypes.c_int64, c_char_pp]),
        "crm_record_update": (ctypes.c_int, [db_p, ctypes.c_int, ctypes.c_int64, ctypes.c_char_p]),
        "crm_record_history": (ctypes.c_int, [db_p, ctypes.c_int, ctypes.c_int64, c_char_pp]),
        "crm_account_contacts": (ctypes.c_int, [db_p, ctypes.c_int64, c_char_pp]),
        "crm_deal_move": (ctypes.c_int, [db_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_char_p]),
        "crm_deal_stage_history": (ctypes.c_int, [db_p, ctypes.c_int64, c_char_pp]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


class CheckFailed(Exception):
    pass


def expect(condition, what):
    """Like assert, but not removed by python -O."""
    if not condition:
        raise CheckFailed(what)


class CrmError(Exception):
    def __init__(self, lib, code):
        self.code = code
        self.name = lib.crm_strerror(code).decode()
        self.message = lib.crm_errmsg().decode("utf-8")
        self.field = lib.crm_errfield().decode("utf-8")
        super().__init__(f"{self.name} ({code}): {self.message}")


class Db:
    """A small Pythonic wrapper: documents in and out as dicts."""

    def __init__(self, lib, path):
        self.lib = lib
        self.handle = ctypes.c_void_p()
        self._check(lib.crm_db_open(ctypes.byref(self.handle), path.encode("utf-8"), None))

    def close(self):
        self.lib.crm_db_close(self.handle)  # accepts NULL; closing twice is harmless here
        self.handle = ctypes.c_void_p()

    def _check(self, rc):
        if rc != CRM_OK:
            raise CrmError(self.lib, rc)

    def _take(self, out):
        """Copies an owned char * out-parameter into a str and frees it."""
        try:
            return ctypes.string_at(out.value).decode("utf-8")
        finally:
            self.lib.crm_free(out)

    def _doc_call(self, fn, *args):
        out = ctypes.c_void_p()
        self._check(fn(self.handle, *args, ctypes.byref(out)))
        return json.loads(self._take(out))

    def create(self, entity, doc):
        new_id = ctypes.c_int64()
        text = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        self._check(self.lib.crm_record_create(self.handle, entity, text, ctypes.byref(new_id)))
        return new_id.value

    def get(self, entity, record_id):
        return self._doc_call(self.lib.crm_record_get, entity, record_id)

    def update(self, entity, record_id, patch):
        text = json.dumps(patch, ensure_ascii=False).encode("utf-8")
        self._check(self.lib.crm_record_update(self.handle, entity, record_id, text))

    def history(self, entity, record_id):
        return self._doc_call(self.lib.crm_record_history, entity, record_id)

    def move_deal(self, deal_id, stage_id):
        self._check(self.lib.crm_deal_move(self.handle, deal_id, stage_id, None))

    def deal_stage_history(self, deal_id):
        return self._doc_call(self.lib.crm_deal_stage_history, deal_id)

    def account_contacts(self, account_id):
        return self._doc_call(self.lib.crm_account_contacts, account_id)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CRM_LIB", "libcrm.so")
    try:
        lib = load(path)
    except (OSError, AttributeError) as e:
        print(f"cannot load libcrm from {path}: {e}", file=sys.stderr)
        return 2
    print(f"libcrm {lib.crm_version().decode()} (ABI {lib.crm_abi_version()})")

    with tempfile.TemporaryDirectory() as tmp:
        db = Db(lib, os.path.join(tmp, "example.crm"))
        try:
            account_id = db.create(CRM_ACCOUNT, {"name": "株式会社サンプル", "name_reading": "カブシキガイシャサンプル",
                                                 "employee_count": 120})
            contact_id = db.create(CRM_CONTACT, {
                "name": "山田 太郎", "name_reading": "ヤマダ タロウ",
                "emails": ["taro@example.jp"], "title": "主任", "account_id": account_id,
            })
            contact = db.get(CRM_CONTACT, contact_id)
            expect(contact["name"] == "山田 太郎", contact)
            expect(contact["emails"][0] == {"address": "taro@example.jp", "label": "", "primary": True,
                                            "undeliverable": False}, contact)
            print(f"created account {account_id} and contact {contact_id}: {contact['name']}")

            # A merge patch: only the keys given change.
            db.update(CRM_CONTACT, contact_id, {"title": "営業部長", "department": "営業部"})
            contact = db.get(CRM_CONTACT, contact_id)
            expect(contact["title"] == "営業部長" and contact["department"] == "営業部", contact)
            expect(contact["name_reading"] == "ヤマダ タロウ", contact)

            history = db.history(CRM_CONTACT, contact_id)
            # Oldest first: the create (a whole snapshot), then one row per changed field.
            expect(history[0]["op"] == "create" and history[0]["new"]["name"] == "山田 太郎", history[0])
            changes = {h["field"]: (h["old"], h["new"]) for h in history[1:] if h["op"] == "update"}
            expect(changes == {"title": ("主任", "営業部長"), "department": ("", "営業部")}, changes)
            for h in history:
                new = "(whole record)" if h["field"] == "*" else repr(h["new"])
                print(f"  history #{h['id']} {h['op']:<6} {h['field']:<10} {h['old']!r} -> {new}")

            # Log a call with the contact (an interaction linked to the contact and account).
            call_id = db.create(CRM_INTERACTION, {
                "kind": "call", "direction": "outbound", "occurred_at": "2026-11-24T10:00:00+09:00",
                "subject": "導入のご相談", "body": "来週デモを実施することで合意",
                "contact_ids": [contact_id], "account_ids": [account_id],
            })
            call = db.get(CRM_INTERACTION, call_id)
            expect(call["subject"] == "導入のご相談" and call["contact_ids"] == [contact_id], call)
            print(f"logged interaction {call_id}: {call['kind']} {call['subject']}")

            # A deal in a two-stage pipeline, moved from 提案 to 受注.
            pipeline_id = db.create(CRM_PIPELINE, {"name": "新規営業", "stages": [
                {"name": "提案", "probability": 40},
                {"name": "受注", "probability": 100, "kind": "won"}]})
            stages = db.get(CRM_PIPELINE, pipeline_id)["stages"]
            deal_id = db.create(CRM_DEAL, {"name": "基幹システム刷新", "pipeline_id": pipeline_id,
                                           "stage_id": stages[0]["id"], "account_id": account_id,
                                           "amount": {"amount": 3000000, "currency": "JPY"}})
            db.move_deal(deal_id, stages[1]["id"])
            deal = db.get(CRM_DEAL, deal_id)
            expect(deal["stage_id"] == stages[1]["id"] and deal["closed_at"] is not None, deal)
            moves = db.deal_stage_history(deal_id)
            expect([m["to_stage_id"] for m in moves] == [stages[0]["id"], stages[1]["id"]], moves)
            print(f"deal {deal_id} moved to {stages[1]['name']} (¥{deal['amount']['amount']:,})")

            staff = db.account_contacts(account_id)
            expect([c["id"] for c in staff] == [contact_id], staff)

            # Errors come back as a code, a message and the field concerned.
            try:
                db.create(CRM_CONTACT, {"name": "山田 次郎", "emails": ["TARO@example.jp"]})
                raise CheckFailed("a duplicate email was accepted")
            except CrmError as e:
                print(f"duplicate email refused: {e.name} ({e.code}): {e.message}")
                expect(e.code == CRM_EEXISTS and e.field == "emails", (e.code, e.field))
            try:
                db.get(CRM_CONTACT, 9999)
                raise CheckFailed("a missing contact was found")
            except CrmError as e:
                expect(e.code == CRM_ENOTFOUND, e.code)
            try:
                db.update(CRM_CONTACT, contact_id, {"titel": "typo"})
                raise CheckFailed("an unknown key was accepted")
            except CrmError as e:
                expect(e.code == CRM_EINVALID and e.field == "titel", (e.code, e.field))
            # The failed writes changed nothing.
            expect(db.get(CRM_CONTACT, contact_id) == contact, "a failed write changed the contact")
        finally:
            db.close()
    print("ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (CheckFailed, CrmError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
