// The start-up probe, linked into both programs the start-up benchmark compares (the hello
// example and the bare QtWebEngine baseline), so that both are measured by the same code.
//
// It needs no call from main(): a static initializer notes the time just before main() runs,
// and a Qt start-up routine (run when the QApplication is constructed) watches for the first
// QWebEngineView to be shown. When its page has loaded, the probe asks the page (main world)
// for its timeline: performance.timeOrigin, the `first-contentful-paint` entry, and when the
// JS client was ready (`__MYAPP__.ready` resolved; a page without a client is ready at load).
// It prints one line on stdout,
//
//     myapp-startup-probe {"exec_to_main_ms":..,"load_started_ms":..,"load_ms":..,
//                          "first_paint_ms":..,"ready_ms":..,"error":null}
//
// with every time but the first measured from main(), then waits: the app quits when its
// standard input reaches end of file, so the driver can measure the process tree's memory
// first. With MYAPP_STARTUP_PROBE_EXIT=1 it quits at once instead.
//
// exec → main: the driver passes its clock reading just before spawning the process in
// MYAPP_STARTUP_SPAWN_NS (CLOCK_REALTIME, ns); without it, the process's start time from
// /proc/self/stat (10 ms resolution) is used.
#pragma once
