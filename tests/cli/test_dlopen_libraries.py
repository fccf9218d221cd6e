"""scripts/dlopen-libraries.py: the libraries the Debian package must depend on although
the executable does not link them."""
import os
import subprocess
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "dlopen-libraries.py")


def run(*args):
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True)


def tree(files):
    root = tempfile.mkdtemp(prefix="wwctl-dlopen-")
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as f:
            f.write(text)
    return root


LOADER = '''
final class LibFoo {
    init(_ library: DynamicLibrary) { a = try symbol("foo_open"); b = try symbol("foo_close") }
    #if os(macOS)
    static let libraryNames = ["libfoo.1.dylib"]
    #else
    static let libraryNames = ["libfoo.so.1", "libfoo.so.0"]
    #endif
    static func load(names: [String] = libraryNames) { DynamicLibrary.open(firstOf: names) }
}
'''
OWNER = 'func open() { dlopen(name, RTLD_NOW) }\n'


class DlopenLibrariesTests(unittest.TestCase):
    def test_the_repository_opens_libpq_and_libedit_through_its_lists(self):
        result = run()
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
        self.assertIn("PQconnectdbParams", lines["libpq.so.5"])
        self.assertIn("readline", lines["libedit.so.2"])
        self.assertEqual(run("--check").returncode, 0, run("--check").stderr)

    def test_the_first_linux_name_of_each_list_with_the_names_its_file_looks_up(self):
        root = tree({"Foo/LibFoo.swift": LOADER, "Support/DynamicLibrary.swift": OWNER})
        result = run(root)
        self.assertEqual(result.stdout.splitlines(), ["libfoo.so.1 foo_close foo_open"])
        self.assertEqual(run("--check", root).returncode, 0)

    def test_check_names_a_dlopen_the_lists_miss(self):
        root = tree({"Foo/LibFoo.swift": LOADER, "Support/DynamicLibrary.swift": OWNER,
                     "Bar/Bar.swift": 'let h = dlopen("libbar.so.2", RTLD_NOW)\n',
                     "Baz/Baz.swift": 'let l = DynamicLibrary.open(firstOf: ["libbaz.so.3"])\n'})
        result = run("--check", root)
        self.assertEqual(result.returncode, 1)
        self.assertIn("Bar/Bar.swift: calls dlopen itself", result.stderr)
        self.assertIn("Baz/Baz.swift: opens a library but declares no", result.stderr)
        self.assertNotIn("LibFoo", result.stderr)


if __name__ == "__main__":
    unittest.main()
