package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"time"
)

// profileEnv names where a start-up profile goes: with
// GITPAT_PROFILE=/tmp/start, gitpat writes a CPU profile of its first
// GITPAT_PROFILE_SECONDS (2 s unless set) to /tmp/start.cpu and the live
// heap at their end to /tmp/start.heap, and with GITPAT_PROFILE_TRACE=1
// an execution trace to /tmp/start.trace (which costs CPU of its own),
// then runs on as usual. Without it nothing is profiled. It is for
// measuring (see docs/BENCHMARKS.md), not for users.
const profileEnv = "GITPAT_PROFILE"

// startProfile starts the profiles profileEnv asks for, if any.
func startProfile() {
	base := os.Getenv(profileEnv)
	if base == "" {
		return
	}
	secs, err := strconv.ParseFloat(os.Getenv(profileEnv+"_SECONDS"), 64)
	if err != nil || secs <= 0 {
		secs = 2
	}
	cpu, err := os.Create(base + ".cpu")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gitpat: profile:", err)
		return
	}
	var tr *os.File
	if os.Getenv(profileEnv+"_TRACE") == "1" {
		if tr, err = os.Create(base + ".trace"); err == nil {
			err = trace.Start(tr)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gitpat: profile:", err)
		}
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fmt.Fprintln(os.Stderr, "gitpat: profile:", err)
	}
	time.AfterFunc(time.Duration(secs*float64(time.Second)), func() {
		if tr != nil {
			trace.Stop()
			_ = tr.Close()
		}
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if heap, err := os.Create(base + ".heap"); err == nil {
			runtime.GC()
			_ = pprof.WriteHeapProfile(heap)
			_ = heap.Close()
		}
		fmt.Fprintln(os.Stderr, "gitpat: profile written to", base+".*")
	})
}
