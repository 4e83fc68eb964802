"""Protocol conformance of the Skiff Java kernel, checked by jupyter_kernel_test.

Run with the kernel spec on JUPYTER_PATH: python3 -m unittest test_kernel
The kernel name comes from SKIFF_KERNEL_NAME (default skiff-java).
"""
import os
import unittest
from queue import Empty

import jupyter_kernel_test
from jupyter_kernel_test.msgspec_v5 import validate_message

IOPUB_TIMEOUT = 5


class SkiffJavaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("SKIFF_KERNEL_NAME", "skiff-java")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "Math.absEx", "matches": {"absExact("}},
        {"text": "\"abc\".toUpperCa", "matches": {"toUpperCase("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 3;", "void f() { }", "%lsmagic"]
    incomplete_code_samples = ["void f() {", "for (int i = 0; i < 3; i++) {", "int y = (1 +"]
    invalid_code_samples = ["}", "int x = ;"]

    code_page_something = 'page("paged text");'

    code_generate_error = 'throw new IllegalStateException("expected failure");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"a\" + \"b\"", "result": "\"ab\""},
        {"code": "html(\"<b>bold</b>\")", "mime": "text/html", "result": "<b>bold</b>"},
    ]

    code_display_data = [
        {"code": 'display(html("<i>shown</i>"));', "mime": "text/html"},
        {"code": 'display(markdown("*shown*"));', "mime": "text/markdown"},
        {"code": "display(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
    ]

    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.abs"

    code_clear_output = 'System.out.println("gone"); clearOutput();'

    def execute_helper(self, code, timeout=jupyter_kernel_test.TIMEOUT, silent=False, store_history=True,
                       stop_on_error=True):
        """Runs code like the suite's helper, with the same checks, but waits up to IOPUB_TIMEOUT s per
        IOPub message and skips messages of other requests, so that a loaded machine does not fail it."""
        msg_id = self.kc.execute(code=code, silent=silent, store_history=store_history, stop_on_error=stop_on_error)
        reply = self.get_non_kernel_info_reply(timeout=timeout)
        validate_message(reply, "execute_reply", msg_id)
        busy_msg = self._next_iopub(msg_id)
        validate_message(busy_msg, "status", msg_id)
        self.assertEqual(busy_msg["content"]["execution_state"], "busy")
        output_msgs = []
        while True:
            msg = self._next_iopub(msg_id)
            validate_message(msg, msg["msg_type"], msg_id)
            if msg["msg_type"] == "status":
                self.assertEqual(msg["content"]["execution_state"], "idle")
                break
            if msg["msg_type"] == "execute_input":
                self.assertEqual(msg["content"]["code"], code)
                continue
            output_msgs.append(msg)
        return reply, output_msgs

    def _next_iopub(self, msg_id):
        while True:
            msg = self.kc.get_iopub_msg(timeout=IOPUB_TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The suite matches IOPub messages by order, not by parent, so run one cell while JShell
        # starts and drain what the start-up kernel_info requests left behind.
        cls.kc.execute_interactive("1", timeout=120)
        while True:
            try:
                cls.kc.get_iopub_msg(timeout=1)
            except Empty:
                break


if __name__ == "__main__":
    unittest.main()
