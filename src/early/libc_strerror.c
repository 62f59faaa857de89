/* libc_strerror.c - strerror for the static binary: the messages of the
 * errors early boot meets, in musl's words, in one string.
 *
 * musl's table holds every errno's message (2.2 KiB with its index);
 * this one keeps those a system call of kinit and its applets, a mount
 * of a real root, a module load or a network exchange can return, as
 * "\xNN" (the errno) followed by the message and its NUL. Any other
 * number comes back as "error N", so nothing is ever shown wrongly.
 * Only the target binary links this file.
 */
#include <stdio.h>
#include <string.h>

static const char messages[] =
	"\x01" "Operation not permitted\0"
	"\x02" "No such file or directory\0"
	"\x03" "No such process\0"
	"\x04" "Interrupted system call\0"
	"\x05" "I/O error\0"
	"\x06" "No such device or address\0"
	"\x07" "Argument list too long\0"
	"\x08" "Exec format error\0"
	"\x09" "Bad file descriptor\0"
	"\x0a" "No child process\0"
	"\x0b" "Resource temporarily unavailable\0"
	"\x0c" "Out of memory\0"
	"\x0d" "Permission denied\0"
	"\x0e" "Bad address\0"
	"\x0f" "Block device required\0"
	"\x10" "Resource busy\0"
	"\x11" "File exists\0"
	"\x12" "Cross-device link\0"
	"\x13" "No such device\0"
	"\x14" "Not a directory\0"
	"\x15" "Is a directory\0"
	"\x16" "Invalid argument\0"
	"\x17" "Too many open files in system\0"
	"\x18" "No file descriptors available\0"
	"\x19" "Not a tty\0"
	"\x1a" "Text file busy\0"
	"\x1b" "File too large\0"
	"\x1c" "No space left on device\0"
	"\x1e" "Read-only file system\0"
	"\x20" "Broken pipe\0"
	"\x22" "Result not representable\0"
	"\x24" "Filename too long\0"
	"\x26" "Function not implemented\0"
	"\x27" "Directory not empty\0"
	"\x28" "Symbolic link loop\0"
	"\x3d" "No data available\0"
	"\x47" "Protocol error\0"
	"\x4a" "Bad message\0"
	"\x4b" "Value too large for data type\0"
	"\x58" "Not a socket\0"
	"\x5a" "Message too large\0"
	"\x5c" "Protocol not available\0"
	"\x5d" "Protocol not supported\0"
	"\x5f" "Not supported\0"
	"\x61" "Address family not supported by protocol\0"
	"\x62" "Address in use\0"
	"\x63" "Address not available\0"
	"\x64" "Network is down\0"
	"\x65" "Network unreachable\0"
	"\x67" "Connection aborted\0"
	"\x68" "Connection reset by peer\0"
	"\x69" "No buffer space available\0"
	"\x6b" "Socket not connected\0"
	"\x6e" "Operation timed out\0"
	"\x6f" "Connection refused\0"
	"\x70" "Host is down\0"
	"\x71" "Host is unreachable\0"
	"\x72" "Operation already in progress\0"
	"\x73" "Operation in progress\0"
	"\x74" "Stale file handle\0"
	"\x79" "Remote I/O error\0"
	"\x7b" "No medium found\0"
	"\x7c" "Wrong medium type\0"
	"\x7e" "Required key not available\0"
	"\x7f" "Key has expired\0"
	"\x80" "Key has been revoked\0"
	"\x81" "Key was rejected by service\0"
	;

char *
strerror(int err)
{
	/* strerror's contract: a buffer of its own, overwritten by the
	 * next call (the target is single-threaded). */
	static char unknown[24];

	for (const char *p = messages; *p; p += strlen(p) + 1)
		if ((unsigned char)*p == err)
			return (char *)p + 1;
	snprintf(unknown, sizeof(unknown), "error %d", err);
	return unknown;
}
