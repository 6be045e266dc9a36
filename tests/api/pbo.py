"""Builds PBO archives for tests: optional product entry, uncompressed files, terminator,
data, and the usual 0x00 + SHA-1 trailer."""

import hashlib
import struct


def build_pbo(files, prefix="test_mission", product=True):
    """files: list of (name, bytes)."""
    header = b""
    if product:
        header += b"\0" + struct.pack("<5I", 0x56657273, 0, 0, 0, 0)
        header += b"prefix\0" + prefix.encode() + b"\0" + b"\0"
    for name, data in files:
        header += name.encode() + b"\0" + struct.pack("<5I", 0, len(data), 0, 0, len(data))
    header += b"\0" + struct.pack("<5I", 0, 0, 0, 0, 0)
    body = header + b"".join(data for _, data in files)
    return body + b"\0" + hashlib.sha1(body).digest()


MISSION_SQM = b'''version=53;
class EditorData { moveGridStep=1; };
class Mission
{
	class Intel
	{
		briefingName="Operation Test";
		overviewText="A test";
	};
};
'''

DESCRIPTION_EXT = b'''onLoadName = "Test Op";
class Params
{
	class Daytime
	{
		title = "Time of day";
		values[] = {6, 12, 18};
		texts[] = {"Morning", "Noon", "Evening"};
		default = 12;
	};
};
'''


def mission_pbo(extra=b""):
    return build_pbo([("mission.sqm", MISSION_SQM), ("description.ext", DESCRIPTION_EXT),
                      ("init.sqf", b"hint 'hi';" + extra)])
