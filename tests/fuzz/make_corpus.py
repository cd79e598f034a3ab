#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: tests/fuzz/corpus/<target>/<name>.

Run it after changing it (python3 tests/fuzz/make_corpus.py); the files are committed. It only
adds and overwrites its own files, so inputs added by hand (or minimized from a fuzzing run)
stay. The protocol seeds use the commands registered in fuzz_protocol.cpp.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def deep(n, open_="[", close="]", inner="1"):
    return open_ * n + inner + close * n


def deep_obj(n):
    return '{"a":' * n + "1" + "}" * n


# ---------------------------------------------------------------------------------------------
# fuzz_protocol: batches (the harness's page has already said hello)
P = "fuzz_protocol"
protocol = {
    # every page → C++ message kind of docs/protocol.md
    "hello": '[{"k":"hello","v":1}]',
    "hello_ready": '[{"k":"hello","v":1},{"k":"ready"}]',
    "hello_v2": '[{"k":"hello","v":2}]',
    "ready": '[{"k":"ready"}]',
    "invoke_greet": '[{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}}]',
    "invoke_headers": '[{"k":"invoke","id":2,"cmd":"headers","args":{},"headers":{"x-trace":"abc","lang":"fr"}}]',
    "invoke_no_args": '[{"k":"invoke","id":3,"cmd":"nothing"}]',
    "invoke_pair": '[{"k":"invoke","id":4,"cmd":"pair","args":{"a":-2147483648,"b":9223372036854775807}}]',
    "invoke_unsigned": '[{"k":"invoke","id":5,"cmd":"unsignedId","args":{"id":18446744073709551615,"small":255}}]',
    "invoke_maybe": '[{"k":"invoke","id":6,"cmd":"maybe","args":{"who":null,"x":1.5e-300}},{"k":"invoke","id":7,"cmd":"maybe","args":{}}]',
    "invoke_sum": '[{"k":"invoke","id":8,"cmd":"sum","args":{"xs":[1,2,3,-4,2147483647,-2147483648]}}]',
    "invoke_map": '[{"k":"invoke","id":9,"cmd":"count_keys","args":{"byKey":{"a":["x","y"],"":[],"\\u00e9":["\\ud83d\\ude00"]}}}]',
    "invoke_struct": '[{"k":"invoke","id":10,"cmd":"save","args":{"title":"t","tags":["a","b"],"pinnedAt":3,"scores":{"x":0.5,"y":-1e308},"where":{"x":1,"y":2},"extra":{"any":[null,true,false,"s",1.0]}}}]',
    "invoke_struct_minimal": '[{"k":"invoke","id":11,"cmd":"save","args":{"title":"","tags":[],"scores":{}}}]',
    "invoke_struct_missing": '[{"k":"invoke","id":12,"cmd":"save","args":{"title":"x"}}]',
    "invoke_struct_dup": '[{"k":"invoke","id":13,"cmd":"save","args":{"title":"x","title":"y","tags":[],"scores":{}}}]',
    "invoke_echo": '[{"k":"invoke","id":14,"cmd":"echo","args":{"value":{"a":[1,{"b":"\\u0000\\n\\"\\\\"}]}}}]',
    "invoke_channel": '[{"k":"invoke","id":15,"cmd":"count","args":{"upTo":5,"channel":{"$channel":1}}},{"k":"credit","ch":1,"n":3}]',
    "invoke_channel_struct": '[{"k":"invoke","id":16,"cmd":"stream_notes","args":{"ch":{"$channel":2},"n":{"title":"a","tags":[],"scores":{}}}}]',
    "invoke_channel_bad": '[{"k":"invoke","id":17,"cmd":"count","args":{"upTo":1,"channel":{"$channel":0}}},{"k":"invoke","id":18,"cmd":"count","args":{"upTo":1,"channel":{"$channel":"x"}}},{"k":"invoke","id":19,"cmd":"count","args":{"upTo":1,"channel":{"$channel":3,"extra":1}}}]',
    "invoke_channel_reused": '[{"k":"invoke","id":20,"cmd":"count","args":{"upTo":3,"channel":{"$channel":4}}},{"k":"invoke","id":21,"cmd":"count","args":{"upTo":3,"channel":{"$channel":4}}}]',
    "invoke_then_cancel": '[{"k":"invoke","id":22,"cmd":"slow","args":{"n":1}},{"k":"cancel","id":22}]',
    "cancel_unknown": '[{"k":"cancel","id":999}]',
    "cancel_twice": '[{"k":"invoke","id":23,"cmd":"slow","args":{}},{"k":"ready"},{"k":"cancel","id":23},{"k":"cancel","id":23}]',
    "invoke_fail": '[{"k":"invoke","id":24,"cmd":"fail","args":{"code":"my.code","message":"boom"}},{"k":"invoke","id":25,"cmd":"fail","args":{"code":"\\"bad code\\n","message":""}}]',
    "invoke_fail_data": '[{"k":"invoke","id":26,"cmd":"fail_data","args":{"message":"m","data":{"id":7,"list":[1,2]}}}]',
    "invoke_throw_std": '[{"k":"invoke","id":27,"cmd":"throw_std","args":{"what":"disk on fire \\u00ff"}}]',
    "invoke_checked": '[{"k":"invoke","id":28,"cmd":"checked","args":{"x":-1}},{"k":"invoke","id":29,"cmd":"checked","args":{"x":4}}]',
    "invoke_main_thread": '[{"k":"invoke","id":30,"cmd":"main_only","args":{"s":"abc"}},{"k":"invoke","id":31,"cmd":"greet","args":{"name":"w"}}]',
    "invoke_unknown_cmd": '[{"k":"invoke","id":32,"cmd":"gret","args":{}}]',
    "invoke_wrong_types": '[{"k":"invoke","id":33,"cmd":"greet","args":{"name":42}},{"k":"invoke","id":34,"cmd":"pair","args":{"a":3000000000,"b":1}},{"k":"invoke","id":35,"cmd":"sum","args":{"xs":[1,"2"]}}]',
    "invoke_dup_id": '[{"k":"invoke","id":36,"cmd":"nothing"},{"k":"invoke","id":36,"cmd":"nothing"}]',
    "invoke_bad_id": '[{"k":"invoke","id":0,"cmd":"nothing"},{"k":"invoke","id":9007199254740992,"cmd":"nothing"},{"k":"invoke","id":-1,"cmd":"nothing"},{"k":"invoke","id":"1","cmd":"nothing"},{"k":"invoke","id":1.5,"cmd":"nothing"}]',
    "invoke_no_cmd": '[{"k":"invoke","id":37}]',
    "invoke_args_not_object": '[{"k":"invoke","id":38,"cmd":"greet","args":["Ada"]},{"k":"invoke","id":39,"cmd":"greet","args":null}]',
    "keys_any_order": '[{"args":{"name":"z"},"cmd":"greet","id":40,"k":"invoke"}]',
    "listen_emit": '[{"k":"listen","event":"fuzz"},{"k":"emit","event":"fuzz","payload":{"n":1}},{"k":"emit","event":"fuzz","payload":[1,2],"target":"main"},{"k":"emit","event":"fuzz","target":"other"},{"k":"unlisten","event":"fuzz"},{"k":"emit","event":"fuzz"}]',
    "listen_bad_names": '[{"k":"listen","event":""},{"k":"listen","event":"a b"},{"k":"emit","event":"' + "x" * 129 + '"},{"k":"unlisten"},{"k":"listen","event":5}]',
    "credit": '[{"k":"credit","ch":1,"n":1},{"k":"credit","ch":1,"n":0},{"k":"credit","ch":18446744073709551615,"n":18446744073709551615},{"k":"credit"}]',
    "unknown_kind": '[{"k":"bogus"},{"k":""},{"k":null},{"id":1}]',
    "docs_example": '[{"k":"hello","v":1},{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ada"}}]',
    "all_kinds": '[{"k":"hello","v":1},{"k":"ready"},{"k":"listen","event":"fuzz"},{"k":"invoke","id":41,"cmd":"count","args":{"upTo":8,"channel":{"$channel":9}}},{"k":"credit","ch":9,"n":2},{"k":"emit","event":"fuzz","payload":null},{"k":"invoke","id":42,"cmd":"slow"},{"k":"cancel","id":42},{"k":"unlisten","event":"fuzz"}]',
    # malformed batches and edge cases
    "empty": "",
    "empty_array": "[]",
    "not_array": '{"k":"hello","v":1}',
    "array_of_scalars": '[1,"a",null,true,[]]',
    "truncated": '[{"k":"invoke","id":1,"cmd":"greet","args":{"name":"Ad',
    "trailing": '[{"k":"ready"}] []',
    "trailing_garbage_after_message": '[{"k":"ready"},{"k":"invoke","id":43,"cmd":"nothing"},}',
    "invalid_utf8_string": b'[{"k":"invoke","id":44,"cmd":"greet","args":{"name":"\xff\xfe"}}]',
    "invalid_utf8_key": b'[{"k":"invoke","id":45,"cmd":"greet","args":{"n\xc3":"x"}}]',
    "invalid_utf8_cmd": b'[{"k":"invoke","id":46,"cmd":"gr\xe2\x82","args":{}}]',
    "overlong_utf8": b'[{"k":"invoke","id":47,"cmd":"greet","args":{"name":"\xc0\xaf"}}]',
    "surrogate_escapes": '[{"k":"invoke","id":48,"cmd":"greet","args":{"name":"\\ud800"}},{"k":"invoke","id":49,"cmd":"greet","args":{"name":"\\udc00\\ud800x"}}]',
    "escapes": '[{"k":"invoke","id":50,"cmd":"greet","args":{"name":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u2028\\uFFFF"}}]',
    "nul_bytes": b'[{"k":"invoke","id":51,"cmd":"greet","args":{"name":"a\x00b"}}]',
    "huge_numbers": '[{"k":"invoke","id":52,"cmd":"pair","args":{"a":1e400,"b":-99999999999999999999999}},{"k":"invoke","id":53,"cmd":"maybe","args":{"x":1e309}},{"k":"invoke","id":54,"cmd":"maybe","args":{"x":-0.0}},{"k":"hello","v":99999999999999999999}]',
    "number_forms": '[{"k":"invoke","id":55,"cmd":"sum","args":{"xs":[0,-0,1E2,1e-2,01,1.,.5,+1]}}]',
    "deep_args_ok": '[{"k":"invoke","id":56,"cmd":"echo","args":{"value":' + deep(120) + "}}]",
    "deep_args_limit": '[{"k":"invoke","id":57,"cmd":"echo","args":{"value":' + deep(126) + "}}]",
    "deep_args_over": '[{"k":"invoke","id":58,"cmd":"echo","args":{"value":' + deep(200) + "}}]",
    "deep_objects": '[{"k":"invoke","id":59,"cmd":"echo","args":{"value":' + deep_obj(130) + "}}]",
    "deep_batch": deep(3000),
    "deep_unclosed": "[" * 5000,
    "deep_headers": '[{"k":"invoke","id":60,"cmd":"headers","headers":' + deep_obj(140) + "}]",
    "deep_payload": '[{"k":"listen","event":"fuzz"},{"k":"emit","event":"fuzz","payload":' + deep(127) + "}]",
    "many_messages": "[" + ",".join('{"k":"invoke","id":%d,"cmd":"nothing"}' % i for i in range(100, 400)) + "]",
    "long_string": '[{"k":"invoke","id":61,"cmd":"greet","args":{"name":"' + "\\u00e9" * 2000 + '"}}]',
    "whitespace": ' \t\n\r[ { "k" : "invoke" , "id" : 62 , "cmd" : "greet" , "args" : { "name" : "x" } } ] \n',
    "bom": b'\xef\xbb\xbf[{"k":"ready"}]',
    # bytes: inline base64 and bulk-lane buffers, nested, out of range, malformed
    "bytes_inline": '[{"k":"invoke","id":70,"cmd":"bytes_echo","args":{"data":{"$bytes":0}},"bin":[{"b64":"AAEC/w=="}]}]',
    "bytes_lane": '[{"k":"invoke","id":71,"cmd":"bytes_echo","args":{"data":{"$bytes":1},"more":[{"$bytes":0}]},"bin":[{"lane":1},{"lane":0}]}]',
    # raw request bodies, headers read case-insensitively, and their refusals
    "raw_body": '[{"k":"invoke","id":80,"cmd":"upload","body":0,"headers":{"Authorization":"k"},"bin":[{"b64":"YWJj"}]}]',
    "raw_body_lane": '[{"k":"invoke","id":81,"cmd":"upload","body":0,"bin":[{"lane":0}]}]',
    "raw_body_out_of_range": '[{"k":"invoke","id":82,"cmd":"upload","body":5,"bin":[{"b64":"YQ=="}]}]',
    "raw_body_and_args": '[{"k":"invoke","id":83,"cmd":"upload","body":0,"args":{},"bin":[{"b64":"YQ=="}]}]',
    "raw_body_to_json_command": '[{"k":"invoke","id":84,"cmd":"greet","body":0,"bin":[{"b64":"YQ=="}]}]',
    "json_to_raw_command": '[{"k":"invoke","id":85,"cmd":"upload","args":{"x":1}}]',
    "headers_not_strings": '[{"k":"invoke","id":86,"cmd":"upload","body":0,"headers":{"a":1,"b":[]},"bin":[{"b64":""}]}]',
    # error values, and keys spelled unlike the fields
    "error_value_string": '[{"k":"invoke","id":90,"cmd":"login","args":{"user":"bob"}}]',
    "error_value_struct": '[{"k":"invoke","id":91,"cmd":"login","args":{"user":""}}]',
    "error_value_thrown": '[{"k":"invoke","id":92,"cmd":"reject_value","args":{"value":{"kind":"io","n":[1,2]}}}]',
    "key_other_spelling": '[{"k":"invoke","id":93,"cmd":"save","args":{"title":"t","tags":[],"Pinned_At":1}}]',
    "arg_other_spelling": '[{"k":"invoke","id":94,"cmd":"count_keys","args":{"by_key":{}}}]',
    "ported_struct": '[{"k":"invoke","id":95,"cmd":"ported","args":{"item_name":"tea","extra":{"page":2}}}]',
    "bytes_span": '[{"k":"invoke","id":72,"cmd":"span_size","args":{"data":{"$bytes":0}},"bin":[{"lane":0}]}]',
    "bytes_bad_lane": '[{"k":"invoke","id":73,"cmd":"span_size","args":{"data":{"$bytes":0}},"bin":[{"lane":9}]}]',
    "bytes_bad_b64": '[{"k":"invoke","id":74,"cmd":"bytes_echo","args":{"data":{"$bytes":0}},"bin":[{"b64":"A"}]}]',
    "bytes_missing": '[{"k":"invoke","id":75,"cmd":"bytes_echo","args":{"data":{"$bytes":3}},"bin":[]}]',
    "bytes_string": '[{"k":"invoke","id":76,"cmd":"bytes_echo","args":{"data":"TWE="}}]',
    "bytes_not_list": '[{"k":"invoke","id":77,"cmd":"bytes_echo","args":{"data":{"$bytes":0}},"bin":{"b64":""}}]',
}
for name, data in protocol.items():
    write(P, name + ".json", data)

# ---------------------------------------------------------------------------------------------
# fuzz_json: documents (read as raw, a nested struct, int64 vectors, string→double maps, ...)
J = "fuzz_json"
docs = {
    "null": "null",
    "true": "true",
    "string": '"abc"',
    "number": "42",
    "object_ints": '{"a":1,"b":-2}',
    "object_doubles": '{"x":0.1,"y":-1.7976931348623157e308,"z":5e-324,"w":-0.0,"v":1e22,"u":123456789012345678}',
    "vector_int64": "[0,1,-1,9223372036854775807,-9223372036854775808]",
    "vector_int64_overflow": "[9223372036854775808]",
    "vector_uint8": "[0,255,256,-1]",
    "outer_full": '{"title":"t","items":[{"name":"a","n":-5,"xs":[1.5,2,-0.0],"big":18446744073709551615}],'
                  '"mainItem":{"name":"m","xs":[]},"tagSets":{"k":["a","b"],"":[]},'
                  '"counters":{"a":1,"b":null},"flag":false,"small":[1,null,-32768,32767],'
                  '"extra":{"anything":[1,"x",{"y":null}]},"ratio":0.25}',
    "outer_minimal": '{"title":"","items":[],"tagSets":{},"counters":{}}',
    "outer_unknown_keys": '{"title":"x","items":[],"tagSets":{},"counters":{},"other":{"deep":[[[]]]}}',
    "outer_dup_key": '{"title":"x","title":"y","items":[],"tagSets":{},"counters":{}}',
    "outer_missing": '{"items":[]}',
    "outer_bad_small": '{"title":"","items":[],"tagSets":{},"counters":{},"small":[32768]}',
    "outer_ratio_max": '{"title":"","items":[],"tagSets":{},"counters":{},"ratio":3.4028234e38}',
    "inner_vector": '[{"name":"a","xs":[]},{"name":"b","n":null,"xs":[1e-10]}]',
    "map_dup_keys": '{"a":1,"a":2}',
    "escapes": '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u00e9\\ud83d\\ude00\\uFFFF"',
    "escaped_keys": '{"\\u0061":1,"\\n":2,"\\ud83d\\ude00":3}',
    "lone_surrogate": '"\\ud800"',
    "lone_low_surrogate": '"\\udc00"',
    "lone_surrogates_mixed": r'["a\ud800\u0041","\ud83d\ud83d\ude00","\ude00\ud83d","\ud800\x",'
                             r'"\ud800\u12","\ud800\"]',
    "keys_lone_surrogates": r'{"a\ud800":1,"\udc00\ud83d\ude00":{"\ud800\u12":2}}',
    "outer_lone_surrogates": '{"title":"\\ud83d","items":[{"name":"\\udfff","xs":[]}],'
                             '"tagSets":{"k":["\\ud800\\ud800"]},"counters":{},"other":"\\udc00"}',
    "bad_escape": '"\\x41"',
    "invalid_utf8": b'"\xff"',
    "invalid_utf8_key": b'{"\xc3":1}',
    "overlong_utf8": b'"\xe0\x80\xaf"',
    "utf8_4byte": '"\U0001F600\u00e9\u4e2d"',
    "control_char_raw": b'"a\x01b"',
    "nul_byte": b'[1,\x002]',
    "huge_numbers": "[1e400,-1e400,123456789012345678901234567890,1e-400]",
    "huge_exponent": "1e99999999999999999999",
    "number_forms": "[-0,0.0,1E+2,1e-2,2.2250738585072014e-308,4.9406564584124654e-324]",
    "bad_numbers": "[01,1.,.5,+1,-,1e,NaN,Infinity]",
    "deep_127": deep(127),
    "deep_128": deep(128),
    "deep_129": deep(129),
    "deep_5000": deep(5000),
    "deep_objects": deep_obj(128),
    "deep_unclosed": "[" * 3000,
    "wide_array": "[" + ",".join(str(i) for i in range(2000)) + "]",
    "long_string": '"' + "x" * 5000 + '"',
    "trailing": "[1] [2]",
    "trailing_comma": "[1,2,]",
    "empty": "",
    "whitespace_only": " \n\t ",
    "bom": b'\xef\xbb\xbf{"a":1}',
    "single_quotes": "{'a':1}",
    "unquoted_key": "{a:1}",
}
for name, data in docs.items():
    write(J, name + ".json", data)

# ---------------------------------------------------------------------------------------------
# fuzz_capabilities: capability files, "perm:" permission files, "url:" pages, "glob:" matches,
# separated by lines "---" (see fuzz_capabilities.cpp); commands: greet read_file delete_all save
C = "fuzz_capabilities"
SEP = "\n---\n"
caps = {
    "main": '{"identifier":"main","windows":["main"],"permissions":["core:default","allow-greet"]}',
    "schema_description_platforms": '{"$schema":"../schemas/capability.json","identifier":"c","description":"d",'
                                    '"windows":["*"],"webviews":["w?"],"platforms":["linux","windows","macOS"],'
                                    '"permissions":["core:event:default","core:event:allow-listen"]}',
    "remote": SEP.join([
        '{"identifier":"web","windows":["*"],"local":false,"remote":{"urls":["https://*.example.com/*"]},"permissions":["allow-greet"]}',
        '{"identifier":"app","windows":["*"],"permissions":["allow-save"]}',
        "url:https://example.com.evil.net/", "url:https://user@docs.example.com/",
        "url:https://evil.net/?https://docs.example.com/", "url:HTTPS://DOCS.EXAMPLE.COM/x"]),
    "deny_context": SEP.join([
        '{"identifier":"all","windows":["*"],"permissions":["allow-delete_all","allow-greet"]}',
        '{"identifier":"viewer","windows":["viewer-*","editor-?"],"permissions":["deny-delete_all"]}']),
    "sets_scopes": SEP.join([
        '{"identifier":"a","windows":["main"],"permissions":["files",{"identifier":"read","allow":[{"path":"/home/*"}],"deny":[{"path":"/home/secret/*"}]}]}',
        '{"identifier":"b","windows":["*"],"permissions":[{"identifier":"read","allow":[{"path":"/tmp/*"}]}]}',
        'perm:{"permissions":[{"identifier":"read","description":"Read files","commands":{"allow":["read_file"]},'
        '"scope":{"allow":[{"path":"/data/*"}]}},{"identifier":"write","commands":{"allow":["save"],"deny":["delete_all"]}}],'
        '"sets":[{"identifier":"files","permissions":["read","write"]}]}']),
    "problems": SEP.join([
        '{"identifier":"a","windows":["main","bad glob!"],"permissions":["allow-nope","allow-greet",{"identifier":"x","alow":[]}],"platform":["linux"]}',
        '{"identifier":"a","windows":["*"],"remote":{"urls":["ftp://x/","https://*/"]},"permissions":["cycle-a"]}',
        "{not json",
        'perm:{"permissions":[{"identifier":"p","commands":{"allow":["nope"]}}],'
        '"sets":[{"identifier":"cycle-a","permissions":["cycle-b"]},{"identifier":"cycle-b","permissions":["cycle-a"]}]}']),
    "missing_conflicting": SEP.join([
        '{"windows":["main"]}',
        'perm:{"permissions":[{"identifier":"allow-greet","commands":{"allow":["greet"]}},{"identifier":"core:mine","commands":{"allow":["greet"]}}]}']),
    "local_false_no_remote": '{"identifier":"x","windows":["*"],"local":false,"permissions":[]}',
    "wrong_types": '{"identifier":1,"windows":"main","local":"yes","remote":[],"permissions":{},"platforms":[7]}',
    "self_set": SEP.join(['{"identifier":"s","windows":["*"],"permissions":["loop"]}',
                          'perm:{"sets":[{"identifier":"loop","permissions":["loop"]}]}']),
    "deep_set_chain": SEP.join(['{"identifier":"s","windows":["*"],"permissions":["s0"]}',
                                'perm:{"sets":[' + ",".join('{"identifier":"s%d","permissions":["s%d"]}' % (i, i + 1) for i in range(60))
                                + ',{"identifier":"s60","permissions":["allow-greet"]}]}']),
    "url_patterns": '{"identifier":"u","windows":["*"],"remote":{"urls":["https://a.b.c/*","http://*.x.y:8080/p?q","*://h/","https://*.*.z/","https://[::1]/","https://h/\u00e9"]},"permissions":["allow-greet"]}',
    "globs": SEP.join(["glob:*a*a*a*a*a*a*a*a*b\n" + "a" * 3000, "glob:editor-*\neditor-1", "glob:a?c\nabc", "glob:\n",
                       '{"identifier":"g","windows":["**","?*?","[a]","\u00e9*"],"permissions":[]}']),
    "invalid_utf8": b'{"identifier":"\xff","windows":["main"],"permissions":[]}' + b"\n---\nurl:https://\xc3.example.com/",
    "empty": "",
    "empty_parts": SEP + SEP,
    "deep": '{"identifier":"d","windows":["*"],"permissions":[{"identifier":"allow-greet","allow":[' + "[" * 200 + "]" * 200 + "]}]}",
}
for name, data in caps.items():
    write(C, name + ".txt", data)

# ---------------------------------------------------------------------------------------------
# fuzz_attachments: a document, then its attachments, separated by NUL bytes
A = "fuzz_attachments"
NUL = "\0"
attach = {
    "plain": '{"title":"t","lines":["a","b"]}',
    "refs": NUL.join(['{"title":{"$str":0},"lines":[{"$str":1},"x",{"$str":0}],"note":{"$str":1},"named":{"k":{"$str":0}}}',
                      "Zo\u00eb \"Z\" \u00c5ngstr\u00f6m \u5317\u4eac \U0001F600", "line\nwith\\escapes\x01"]),
    "raw_refs": NUL.join(['{"title":"","lines":[],"extra":{"a":[{"$str":0}, { "$str" : 1 }],"s":"{\\"$str\\":0}","n":{"$str":0,"x":1}}}',
                          "first", "second \""]),
    "missing": '{"title":{"$str":3},"lines":[]}' + NUL + "only one",
    "not_utf8": b'{"title":{"$str":0},"lines":[]}\0\xff\xfe',
    "raw_not_utf8": b'{"title":"","lines":[],"extra":[{"$str":0}]}\0\xc3',
    "big_index": '{"title":{"$str":99999999999999999999},"lines":[]}' + NUL,
    "bad_shapes": '{"title":{"$str":"0"},"lines":[{"$str":-1},{"$str":0.5},{"$str":null}]}' + NUL + "x",
    "empty_attachment": '{"title":{"$str":0},"lines":[{"$str":1}]}' + NUL + NUL,
}
for name, data in attach.items():
    write(A, name + ".txt", data)
# The router's path too: a string argument that came over the lane (fuzz_protocol's uploads).
write(P, "invoke_lone_surrogate.json", '[{"k":"invoke","id":42,"cmd":"greet","args":{"name":"Ada\\ud83d"}}]')
write(P, "invoke_text_attachment.json", '[{"k":"invoke","id":40,"cmd":"greet","args":{"name":{"$str":0}},"bin":[{"lane":0}]}]')
write(P, "invoke_text_attachment_b64.json", '[{"k":"invoke","id":41,"cmd":"greet","args":{"name":{"$str":0}},"bin":[{"b64":"/w=="}]}]')

print("wrote %d protocol, %d json, %d capabilities and %d attachments seeds" % (len(protocol), len(docs), len(caps), len(attach)))
