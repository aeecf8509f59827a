# SPDX-License-Identifier: Apache-2.0 OR MIT
"""Host tests of tools/bench.py's arithmetic: marker intervals, the message-IPC ordering check,
the consistency of its tables, the timer cross-check, the DWARF reading of struct process, the
baseline comparison and the kernel stack depth from a call graph (tools/stack_depth.py).

Usage: python3 -m unittest discover -s bench -p 'test_*.py'   (from the repository root)

Invariants: no QEMU, no cross tools: everything runs on synthetic input.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tools"))

import bench  # noqa: E402  (tools/bench.py)
import stack_depth  # noqa: E402  (tools/stack_depth.py)

DWARF = """\
 <1><2d9f>: Abbrev Number: 41 (DW_TAG_structure_type)
    <2da0>   DW_AT_name        : (indirect string, offset: 0x1655): process
    <2da4>   DW_AT_byte_size   : 40
 <2><2dac>: Abbrev Number: 1 (DW_TAG_member)
    <2dad>   DW_AT_name        : (indirect string, offset: 0x1f98): state
    <2db4>   DW_AT_data_member_location: 0
 <2><2dbc>: Abbrev Number: 1 (DW_TAG_member)
    <2dbd>   DW_AT_name        : queue
    <2dc4>   DW_AT_data_member_location: 4
 <2><2dcc>: Abbrev Number: 1 (DW_TAG_member)
    <2dcd>   DW_AT_name        : grant_pointers
    <2dd4>   DW_AT_data_member_location: 24
 <1><2f75>: Abbrev Number: 5 (DW_TAG_base_type)
    <2f76>   DW_AT_byte_size   : 4
"""


class SpanTest(unittest.TestCase):
    EVENTS = [(10, "a:start"), (15, "a:end"), (100, "a:start"), (120, bench.WFI), (130, "a:end")]

    def test_uses_the_last_end_and_the_start_just_before_it(self):
        self.assertEqual(bench.span(self.EVENTS, "a:start", "a:end"), 30)

    def test_wfi_spans_start_after_the_wfi(self):
        self.assertEqual(bench.span(self.EVENTS, bench.WFI, "a:end"), 9)

    def test_reset_spans_run_from_zero_to_the_first_end(self):
        self.assertEqual(bench.span(self.EVENTS, bench.RESET, "a:end"), 15)

    def test_start_before_the_guard_does_not_count(self):
        events = [(5, bench.WFI), (10, "a:yield"), (50, "a:first")]
        self.assertIsNone(bench.span(events, bench.WFI, "a:first", after="a:yield"))
        events.insert(2, (20, bench.WFI))
        self.assertEqual(bench.span(events, bench.WFI, "a:first", after="a:yield"), 29)

    def test_missing_markers_give_none(self):
        self.assertIsNone(bench.span(self.EVENTS, "a:start", "b:end"))
        self.assertIsNone(bench.span([(1, "a:end")], "a:start", "a:end"))


class ArmedTest(unittest.TestCase):
    """The message round trip counts only if the service was already waiting in RECV."""
    C, V = "bench_msg_client:", "bench_msg_service:"

    def events(self, service_before_send):
        C, V = self.C, self.V
        return [(1, V + "msg_service_recv_svc"), (2, V + "msg_service_recv_ret")] + \
            [(3 + i, V + name) for i, name in enumerate(service_before_send)] + \
            [(10, C + "msg_client_send_svc"), (20, C + "msg_client_send_ret"),
             (25, C + "msg_client_wait_svc"), (30, V + "msg_service_recv_first"),
             (40, V + "msg_service_reply_svc"), (50, V + "msg_service_reply_ret"),
             (55, V + "msg_service_recv_svc"), (60, V + "msg_service_recv_ret"),
             (62, V + "msg_service_wait_svc"), (70, C + "msg_client_reply_first")]

    def test_service_waiting_before_the_send_is_fine(self):
        events = self.events(["msg_service_wait_svc"])
        self.assertIsNone(bench.check_armed(events, *bench.MSG_ARMED))
        self.assertEqual(bench.span(events, *bench.SPANS["msg_round_trip"][1:]), 60)
        self.assertEqual(bench.span(events, *bench.SPANS["msg_to_client"][1:]), 8)

    def test_service_not_yet_waiting_is_a_problem(self):
        problem = bench.check_armed(self.events([]), *bench.MSG_ARMED)
        self.assertIn("msg_service_recv_ret", problem)
        self.assertIn("msg_service_wait_svc", problem)

    def test_no_service_marker_at_all_is_a_problem(self):
        events = [(10, self.C + "msg_client_send_svc"), (70, self.C + "msg_client_reply_first")]
        self.assertIn("None", bench.check_armed(events, *bench.MSG_ARMED))

    def test_last_marker(self):
        events = [(1, "a:x"), (2, "b:y"), (3, bench.WFI), (4, "a:z")]
        self.assertEqual(bench.last_marker(events, 3, "a:"), "a:x")
        self.assertIsNone(bench.last_marker(events, 0, "a:"))


class TablesTest(unittest.TestCase):
    def test_every_span_is_a_figure_of_a_scenario_whose_apps_it_names(self):
        keys = [k for k, _, _ in bench.FIGURES]
        for key, (scenario, start, end, after) in bench.SPANS.items():
            self.assertIn(key, keys)
            apps = bench.SCENARIOS[scenario][0]
            for marker in (start, end, after):
                if marker not in (None, bench.RESET, bench.WFI):
                    self.assertIn(marker.split(":")[0], apps, key)

    def test_absent_figures_are_spans_of_their_scenario(self):
        for scenario, (_, _, figures) in bench.ABSENT.items():
            for key in figures:
                self.assertEqual(bench.SPANS[key][0], scenario)


class SyscallLinesTest(unittest.TestCase):
    def test_grants_are_counted_from_the_8_byte_aligned_break(self):
        text = ("bench grant alarm 0x0 0x20041ffc 0x20041fe0\nbench grant gpio 0x4 absent\n"
                "bench grant led 0x2 0x20041fe0 0x20041fe0\n"
                "bench grant console 0x1 0x20041fe0 0x20041f90\n"
                "bench frequency 25000000\nbench timer empty 8192 1234\nnoise\n")
        grants, padding, hz, timers = bench.parse_syscall_lines(text)
        self.assertEqual(grants, {"alarm": 24, "gpio": None, "led": 0, "console": 80})
        self.assertEqual(padding, 4)
        self.assertEqual(hz, 25000000)
        self.assertEqual(timers, {"empty": (8192, 1234)})


class TimerFigureTest(unittest.TestCase):
    def test_subtracts_the_empty_loop_and_scales_by_instructions_per_tick(self):
        # 25 MHz: 40 instructions per tick. 8192 ops of 365 instructions = 74752 ticks more.
        timers = {"empty": (8192, 1000), "command": (8192, 1000 + 74752)}
        self.assertEqual(bench.timer_figure(timers, "command", 25_000_000), 365.0)

    def test_needs_the_empty_loop_and_the_frequency(self):
        self.assertIsNone(bench.timer_figure({"command": (8192, 5)}, "command", 25_000_000))
        timers = {"empty": (8192, 1), "command": (8192, 5)}
        self.assertIsNone(bench.timer_figure(timers, "command", None))


class DwarfTest(unittest.TestCase):
    def test_struct_members_and_sizes(self):
        size, layout = bench.struct_members(bench.parse_dwarf(DWARF), "process")
        self.assertEqual(size, 40)
        self.assertEqual(layout, [("state", 0), ("queue", 4), ("grant_pointers", 24)])

    def test_unknown_struct(self):
        self.assertIsNone(bench.struct_members(bench.parse_dwarf(DWARF), "kernel"))


class ChangeTest(unittest.TestCase):
    def test_change_column(self):
        self.assertEqual(bench.change(100, 100), "=")
        self.assertEqual(bench.change(200, 210), "+10 (+5.0%)")
        self.assertEqual(bench.change(200, 190), "-10 (-5.0%)")
        self.assertEqual(bench.change(None, 7), "new")
        self.assertEqual(bench.change("n/a (no IPC yet)", 7), "(was n/a (no IPC yet))")
        self.assertEqual(bench.change(5, "n/a (no IPC yet)"), "")


def board_result(**figures):
    return {"figures": figures, "sizes": {}, "grants": {}}


class VerdictTest(unittest.TestCase):
    def test_within_one_percent_of_the_baseline_passes(self):
        base = board_result(null_command=300)
        self.assertEqual(bench.verdict(board_result(null_command=303), base, {}), ([], [], []))
        self.assertEqual(bench.verdict(board_result(null_command=250), base, {}), ([], [], []))

    def test_more_than_one_percent_over_the_baseline_is_a_regression(self):
        regressions, breaks, _ = bench.verdict(board_result(null_command=304),
                                               board_result(null_command=300), {})
        self.assertEqual(len(regressions), 1)
        self.assertIn("null_command 304", regressions[0])
        self.assertEqual(breaks, [])

    def test_a_budget_the_baseline_meets_is_enforced_and_not_acceptable(self):
        """Within 1% of the baseline but over a met ceiling: a break (never accepted), not a
        regression (which --update-baseline may accept)."""
        base = board_result(msg_round_trip=1000)
        regressions, breaks, targets = bench.verdict(board_result(msg_round_trip=1005), base,
                                                     {"msg_round_trip": 1000})
        self.assertEqual((regressions, targets), ([], []))
        self.assertEqual(breaks, ["msg_round_trip 1005 is over its budget 1000, which the "
                                  "baseline meets"])

    def test_a_budget_not_yet_met_is_a_target_with_the_distance(self):
        regressions, breaks, targets = bench.verdict(board_result(null_command=283),
                                                     board_result(null_command=283),
                                                     {"null_command": 70})
        self.assertEqual((regressions, breaks), ([], []))
        self.assertEqual(targets, ["null_command 283, budget 70: 213 to go"])

    def test_a_budget_on_an_unmeasured_figure_is_a_break(self):
        _, breaks, _ = bench.verdict(board_result(), board_result(), {"null_command": 70})
        self.assertEqual(len(breaks), 1)

    def test_no_baseline_checks_only_budgets(self):
        self.assertEqual(bench.verdict(board_result(null_command=60), None, {}), ([], [], []))


class LookupTest(unittest.TestCase):
    def test_a_missing_driver_dearer_than_an_existing_one_is_a_problem(self):
        self.assertEqual(bench.lookup_problems({"missing_driver_command": 92,
                                                "null_command": 136}), [])
        self.assertEqual(bench.lookup_problems({"missing_driver_command": 136,
                                                "null_command": 136}), [])
        problems = bench.lookup_problems({"missing_driver_command": 137, "null_command": 136})
        self.assertEqual(len(problems), 1)
        self.assertIn("one probe", problems[0])

    def test_no_figure_no_problem(self):
        self.assertEqual(bench.lookup_problems({"null_command": 136}), [])


def vcg(nodes, edges):
    """A call graph as GCC writes it: nodes (name, bytes or None), edges (caller, callee)."""
    lines = ['graph: { title: "x.ltrans0.o"']
    for name, size in nodes:
        label = f"{name}\\nf.c:1:1" + (f"\\n{size} bytes (static)" if size is not None else "")
        lines.append(f'node: {{ title: "x.o:{name}" label: "{label}" }}')
    for a, b in edges:
        target = b if b.startswith("__") else f"x.o:{b}"
        lines.append(f'edge: {{ sourcename: "x.o:{a}" targetname: "{target}" }}')
    return "\n".join(lines) + "\n}\n"


class StackDepthTest(unittest.TestCase):
    def graph(self, nodes, edges, roots=("root",)):
        frames, calls = stack_depth.parse(vcg(nodes, edges))
        return stack_depth.Graph(frames, calls, set(roots))

    def test_depth_is_the_deepest_chain_of_frames(self):
        g = self.graph([("root", 16), ("a", 8), ("b", 100), ("c", 4)],
                       [("root", "a"), ("root", "c"), ("a", "b")])
        self.assertEqual(g.depths(0)["root"], 16 + 8 + 100)

    def test_pointer_calls_reach_the_deepest_function_never_called_directly(self):
        g = self.graph([("root", 16), ("callback", 40), ("helper", 8), ("big_op", 200)],
                       [("root", "__indirect_call"), ("callback", "helper")])
        self.assertEqual(g.indirect_targets, ["big_op", "callback"])
        bound, depths = g.indirect_bound()
        self.assertEqual(bound, 200)
        self.assertEqual(depths["root"], 16 + 200)

    def test_pointer_calls_nest_at_most_the_documented_depth(self):
        g = self.graph([("root", 16), ("callback", 10)],
                       [("root", "__indirect_call"), ("callback", "__indirect_call")])
        bound, depths = g.indirect_bound()
        self.assertEqual(bound, 10 * stack_depth.POINTER_NESTING)
        self.assertEqual(depths["root"], 16 + 10 * stack_depth.POINTER_NESTING)

    def test_direct_recursion_has_no_bound(self):
        g = self.graph([("root", 16), ("a", 8)], [("root", "a"), ("a", "a")])
        with self.assertRaisesRegex(stack_depth.StackError, "recursion"):
            g.depths(0)

    def test_functions_outside_the_graph_get_fixed_frames(self):
        g = self.graph([("root", 16), ("memset", None), ("__aeabi_uldivmod", None)],
                       [("root", "memset"), ("root", "__aeabi_uldivmod")])
        self.assertEqual(g.depths(0)["root"], 16 + stack_depth.LIBGCC_FRAME)

    def test_path_to_the_switch_counts_the_frames_before_it(self):
        g = self.graph([("root", 16), ("loop", 24), ("switch_to", None), ("other", 500)],
                       [("root", "loop"), ("root", "other"), ("loop", "switch_to")])
        self.assertEqual(g.deepest_before("root", "switch_to"), 16 + 24)
        self.assertIsNone(g.deepest_before("other", "switch_to"))

    def test_an_unbounded_dynamic_frame_is_refused(self):
        text = 'node: { title: "x.o:f" label: "f\\nf.c:1:1\\n8 bytes (dynamic)" }\n'
        with self.assertRaisesRegex(stack_depth.StackError, "unbounded"):
            stack_depth.parse(text)


if __name__ == "__main__":
    unittest.main()
