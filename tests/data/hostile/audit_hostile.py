"""Hostile audit targets: each must be reported against itself while the others complete."""

import ctypes
import os
import sys
import time

import torch

from compile_audit import Target

START_DIR = os.getcwd()


def good(x):
    return x.sin() + 1


def audit_good_first():
    return good, (torch.randn(3),)


def audit_hang():
    def hang(x):
        while True:
            time.sleep(0.05)
    return hang, (torch.randn(3),)


def audit_segfault():
    def crash(x):
        ctypes.string_at(0)
        return x
    return crash, (torch.randn(3),)


def audit_sys_exit():
    sys.exit(3)


def audit_os_exit():
    def leave(x):
        os._exit(7)
    return leave, (torch.randn(2),)


def audit_flood():
    def flood(x):
        for _ in range(5000):
            print("x" * 1000)
        return x + 1
    return flood, (torch.randn(2),)


def audit_factory_error():
    raise RuntimeError("the factory is broken")


def audit_not_a_target():
    return 42


def audit_moves_cwd_and_env():
    def wander(x):
        os.chdir("/")
        os.environ["COMPILE_AUDIT_HOSTILE"] = "1"
        return x + 1
    return wander, (torch.randn(2),)


def audit_state_was_restored():
    assert os.getcwd() == START_DIR, os.getcwd()
    assert "COMPILE_AUDIT_HOSTILE" not in os.environ
    return good, (torch.randn(3),)


def audit_good_last():
    return Target(good, args=(torch.randn(3),))
