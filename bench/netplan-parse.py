# Parses and validates a netplan configuration without rendering anything:
# netplan's own parser (libnetplan), the same calls `netplan get` makes before
# it dumps YAML. Used by bench/run.mjs as netplan's closest "validate only".
#
#   python3 -I -S bench/netplan-parse.py ROOT_DIR
#
# Prints the number of network definitions; exits 1 with netplan's message on
# an invalid configuration.
import ctypes
import sys

lib = ctypes.CDLL('libnetplan.so.0.0')
pointer = ctypes.c_void_p
lib.netplan_parser_new.restype = pointer
lib.netplan_state_new.restype = pointer
lib.netplan_parser_load_yaml_hierarchy.argtypes = [pointer, ctypes.c_char_p, ctypes.POINTER(pointer)]
lib.netplan_state_import_parser_results.argtypes = [pointer, pointer, ctypes.POINTER(pointer)]
lib.netplan_state_get_netdefs_size.argtypes = [pointer]


class GError(ctypes.Structure):
    _fields_ = [('domain', ctypes.c_uint32), ('code', ctypes.c_int), ('message', ctypes.c_char_p)]


error = pointer()
parser = lib.netplan_parser_new()
ok = lib.netplan_parser_load_yaml_hierarchy(parser, sys.argv[1].encode(), ctypes.byref(error))
if ok:
    state = lib.netplan_state_new()
    ok = lib.netplan_state_import_parser_results(state, parser, ctypes.byref(error))
if not ok:
    message = ctypes.cast(error, ctypes.POINTER(GError)).contents.message if error else b'unknown error'
    print(message.decode(), file=sys.stderr)
    sys.exit(1)
print(lib.netplan_state_get_netdefs_size(state))
