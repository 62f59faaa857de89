# bench/lib.sh: timing and reporting for bench/run.sh (bash: it needs
# EPOCHREALTIME, a clock read without a fork, and arrays).
#
# A case is a function that declares its variants, then measures them:
#
#     bench_case NAME [BEFORE]       BEFORE: a function run, untimed,
#                                    before every timed run (cleanup)
#     bench_variant LABEL FUNC [MIN_RATIO]
#     bench_measure
#
# The first variant is ours, the reference; the others are peers.  FUNC
# runs one command quietly and returns its status.  bench_measure runs
# every variant once as a warm-up (the page cache is never dropped, so
# every run sees a warm cache), then BENCH_ROUNDS rounds in which each
# variant runs once in turn: ours, peer 1, peer 2, ours, peer 1, ...  A
# case whose warm-up round took less than BENCH_QUICK_MS runs three times
# as many rounds, since its times are mostly process start-up noise.  A
# variant that fails is reported as failed and dropped from later
# rounds.  MIN_RATIO is the target: the peer's median divided by ours
# must reach it (2 means "ours at least twice as fast").
#
# bench_note TEXT adds a line under the table (checks, sizes); bench_fail
# TEXT does the same and makes the run exit non-zero.  bench_report
# prints everything as a markdown table.

# shellcheck disable=SC2034 # BENCH_FAILED and BENCH_MISSED are the caller's
BENCH_ROUNDS=${BENCH_ROUNDS:-7}
BENCH_QUICK_MS=${BENCH_QUICK_MS:-500}

_case='' _before=''
_v_label=() _v_func=() _v_target=()
ROW_CASE=() ROW_RUNS=() ROW_LABEL=() ROW_MED=() ROW_MIN=() ROW_RATIO=()
ROW_TARGET=() ROW_RESULT=()
NOTES=()
BENCH_FAILED=0
BENCH_MISSED=0

bench_log() { printf 'bench: %s\n' "$*" >&2; }
bench_note() { NOTES+=("$*"); }
bench_fail() { NOTES+=("FAILED: $*"); BENCH_FAILED=1; }

bench_case() {
	_case=$1 _before=${2:-}
	_v_label=() _v_func=() _v_target=()
}

bench_variant() {
	_v_label+=("$1") _v_func+=("$2") _v_target+=("${3:-}")
}

# bench_time FUNC...: runs it, sets BENCH_US to the wall time in
# microseconds, returns its status.
bench_time() {
	local t0 t1 rc
	t0=${EPOCHREALTIME/[.,]/}
	"$@"
	rc=$?
	t1=${EPOCHREALTIME/[.,]/}
	BENCH_US=$((10#$t1 - 10#$t0))
	return $rc
}

_bench_median() { # values... -> median on stdout (mean of the middle two)
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%d\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

_bench_min() { printf '%s\n' "$@" | sort -n | head -n 1; }

_bench_ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

bench_measure() {
	local n=${#_v_func[@]} i r rc rounds=$BENCH_ROUNDS warm=0
	local -a status samples
	for ((i = 0; i < n; i++)); do
		status[i]=ok samples[i]=
		[ -n "$_before" ] && "$_before"
		bench_time "${_v_func[i]}"
		rc=$?
		warm=$((warm + BENCH_US))
		if [ $rc != 0 ]; then
			status[i]="failed (exit $rc)"
			bench_log "$_case: ${_v_label[i]} failed in warm-up (exit $rc)"
		fi
	done
	[ $warm -lt $((BENCH_QUICK_MS * 1000)) ] && rounds=$((rounds * 3))
	for ((r = 1; r <= rounds; r++)); do
		bench_log "$_case: round $r/$rounds"
		for ((i = 0; i < n; i++)); do
			[ "${status[i]}" = ok ] || continue
			[ -n "$_before" ] && "$_before"
			bench_time "${_v_func[i]}"
			rc=$?
			if [ $rc != 0 ]; then
				status[i]="failed (exit $rc)"
				continue
			fi
			samples[i]="${samples[i]} $BENCH_US"
		done
	done
	local ours_med='' med min ratio target result
	for ((i = 0; i < n; i++)); do
		med=- min=- ratio=- target=- result=-
		if [ "${status[i]}" = ok ]; then
			# shellcheck disable=SC2086 # samples is a word list
			med=$(_bench_median ${samples[i]})
			# shellcheck disable=SC2086
			min=$(_bench_min ${samples[i]})
			[ $i = 0 ] && ours_med=$med
		else
			result=${status[i]}
			[ $i = 0 ] && bench_fail "$_case: ours (${_v_label[0]}) ${status[0]}"
		fi
		if [ $i -gt 0 ] && [ -n "$ours_med" ] && [ "$med" != - ]; then
			ratio=$(awk -v p="$med" -v o="$ours_med" \
				'BEGIN { printf "%.2f", (o > 0 ? p / o : 0) }')
		fi
		if [ -n "${_v_target[i]}" ]; then
			target=$(awk -v t="${_v_target[i]}" 'BEGIN { printf ">= %.2f", t }')
			if [ "$ratio" != - ] && awk -v r="$ratio" -v t="${_v_target[i]}" \
				'BEGIN { exit !(r >= t) }'; then
				result=met
			else
				[ "$result" = - ] && result="NOT met"
				BENCH_MISSED=1
			fi
		fi
		[ "$med" != - ] && med=$(_bench_ms "$med") min=$(_bench_ms "$min")
		ROW_CASE+=("$_case") ROW_RUNS+=("$rounds") ROW_LABEL+=("${_v_label[i]}")
		ROW_MED+=("$med") ROW_MIN+=("$min") ROW_RATIO+=("$ratio")
		ROW_TARGET+=("$target") ROW_RESULT+=("$result")
	done
}

# The machine, so a table pasted into an issue says where it was measured.
bench_machine() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	printf 'machine: %s CPUs (%s), Linux %s %s; %s\n' "$(nproc)" \
		"${cpu:-unknown CPU}" "$(uname -r)" "$(uname -m)" \
		"$(date -u '+%Y-%m-%d %H:%M UTC')"
}

# _bench_cells I: sets CELLS to the cells of row I of the table
_bench_cells() {
	CELLS=("${ROW_CASE[$1]}" "${ROW_LABEL[$1]}" "${ROW_RUNS[$1]}" \
		"${ROW_MED[$1]}" "${ROW_MIN[$1]}" "${ROW_RATIO[$1]}" \
		"${ROW_TARGET[$1]}" "${ROW_RESULT[$1]}")
}

bench_report() {
	local -a head=(case tool runs "median ms" "min ms" "peer/ours" target result)
	local -a w num=(0 0 1 1 1 1 0 0)
	local i j n=${#ROW_CASE[@]} line cell
	for j in "${!head[@]}"; do w[j]=${#head[j]}; done
	for ((i = 0; i < n; i++)); do
		_bench_cells "$i"
		for j in "${!CELLS[@]}"; do
			[ "${#CELLS[j]}" -gt "${w[j]}" ] && w[j]=${#CELLS[j]}
		done
	done
	_bench_line() { # cells...: text left-aligned, numbers right-aligned
		local k=0 c out='|'
		for c in "$@"; do
			if [ "${num[k]}" = 1 ]; then
				printf -v c ' %*s |' "${w[k]}" "$c"
			else
				printf -v c ' %-*s |' "${w[k]}" "$c"
			fi
			out=$out$c
			k=$((k + 1))
		done
		printf '%s\n' "$out"
	}
	_bench_line "${head[@]}"
	line='|'
	for j in "${!head[@]}"; do
		printf -v cell '%*s' $((w[j] + 1)) ''
		cell=${cell// /-}
		if [ "${num[j]}" = 1 ]; then line="$line$cell:|"; else line="$line$cell-|"; fi
	done
	printf '%s\n' "$line"
	for ((i = 0; i < n; i++)); do
		_bench_cells "$i"
		_bench_line "${CELLS[@]}"
	done
	if [ ${#NOTES[@]} -gt 0 ]; then
		printf '\n'
		printf -- '- %s\n' "${NOTES[@]}"
	fi
}
