"""The Debian package, installed the way an operator installs it.

Installs $WWCTL_DEB with `apt-get install ./wwctl_….deb`, uses the installed wwctl as an
operator would (against the test servers, its manual, bash completion in a fresh login
shell), then removes and purges it and checks that nothing is left behind. Changes the
machine: needs root, and is run by tests/package/run.sh (CI runs it after the suite).
The tests run in the order of their numbers: install, use, remove.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEB = os.environ.get("WWCTL_DEB", "")
REDIS_URL = os.environ.get("WWCTL_TEST_REDIS_URL", "redis://127.0.0.1:6391/0")
DATABASE_URL = os.environ.get("WWCTL_TEST_DATABASE_URL", "postgresql://wwctl:wwctl-local@127.0.0.1:5491/waywise")
# Where a package's files land; the snapshots before install and after purge compare these.
SYSTEM_TREES = ["/usr", "/etc", "/var/lib/dpkg/info", "/var/lib/dpkg/alternatives"]


def sh(*args, check=True, env=None, **kw):
    result = subprocess.run(args, capture_output=True, text=True, env=env, **kw)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def apt_get(*args, **kw):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return sh("apt-get", "-y", "-q", *args, env=env, **kw)


def installed():
    result = sh("dpkg-query", "-W", "-f=${Status}", "wwctl", check=False)
    return result.returncode == 0 and "installed" in result.stdout.split()[-1:]


def snapshot():
    paths = set()
    for tree in SYSTEM_TREES:
        for folder, dirs, files in os.walk(tree):
            for name in dirs + files:
                paths.add(os.path.join(folder, name))
    return paths


def owner(path):
    """The package that owns `path`, or None."""
    result = sh("dpkg", "-S", path, check=False)
    return result.stdout.split(":")[0] if result.returncode == 0 else None


def library_owner(soname):
    """The package of the library the linker finds for `soname`. With /usr merged, dpkg
    knows a file under one of its two names (/lib/… or /usr/lib/…)."""
    path = sh("gcc", f"-print-file-name={soname}").stdout.strip()
    for candidate in dict.fromkeys([os.path.normpath(path), os.path.realpath(path)]):
        aliases = [candidate]
        if candidate.startswith("/usr/lib/"):
            aliases.append(candidate[len("/usr"):])
        elif candidate.startswith("/lib/"):
            aliases.append("/usr" + candidate)
        for alias in aliases:
            package = owner(alias)
            if package:
                return package
    return None


def user_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_", "WWCTL_", "PG"))}
    env.update(extra)
    return env


@unittest.skipUnless(os.geteuid() == 0, "installs a package: needs root")
class PackageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not DEB or not os.path.isfile(DEB):
            raise unittest.SkipTest("WWCTL_DEB names no package: run tests/package/run.sh")
        if installed():
            apt_get("purge", "wwctl")
        cls.before = snapshot()
        # apt's download user (_apt) must be able to read the file.
        cls.folder = tempfile.mkdtemp(prefix="wwctl-deb-")
        os.chmod(cls.folder, 0o755)
        cls.deb = os.path.join(cls.folder, os.path.basename(DEB))
        shutil.copy(DEB, cls.deb)
        os.chmod(cls.deb, 0o644)
        cls.home = tempfile.mkdtemp(prefix="wwctl-deb-home-")
        # The install every later test uses; test_1 checks what it put where.
        apt_get("install", "./" + os.path.basename(cls.deb), cwd=cls.folder)

    @classmethod
    def tearDownClass(cls):
        if installed():
            apt_get("purge", "wwctl")
        shutil.rmtree(cls.folder, ignore_errors=True)
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_1_installs_with_apt_get(self):
        self.assertTrue(installed())
        files = sh("dpkg", "-L", "wwctl").stdout.split("\n")
        for path in ["/usr/bin/wwctl", "/usr/share/man/man1/wwctl.1.gz",
                     "/usr/share/bash-completion/completions/wwctl", "/usr/share/zsh/vendor-completions/_wwctl",
                     "/usr/share/fish/vendor_completions.d/wwctl.fish", "/usr/share/doc/wwctl/copyright",
                     "/usr/share/doc/wwctl/changelog.Debian.gz"]:
            self.assertIn(path, files)
        pages = sorted(f for f in os.listdir(os.path.join(ROOT, "man")) if f.endswith(".1"))
        self.assertEqual([p for p in pages if f"/usr/share/man/man1/{p}.gz" not in files], [])
        type(self).files = [f for f in files if f and f != "/."]

    def test_2_depends_are_the_linked_and_the_dlopened_libraries(self):
        depends = sh("dpkg-query", "-W", "-f=${Depends}", "wwctl").stdout
        packages = {d.strip().split(" ")[0] for d in depends.split(",")}
        needed = re.findall(r"NEEDED\s+(\S+)", sh("objdump", "-p", "/usr/bin/wwctl").stdout)
        dlopened = [line.split()[0] for line in
                    sh(os.path.join(ROOT, "scripts", "dlopen-libraries.py")).stdout.splitlines()]
        self.assertIn("libpq.so.5", dlopened)
        self.assertIn("libedit.so.2", dlopened)
        expected = set()
        for soname in needed + dlopened:
            package = library_owner(soname)
            self.assertIsNotNone(package, f"no package owns {soname}")
            expected.add(package)
        self.assertIn("libhiredis0.14", expected)
        self.assertEqual(packages, expected, f"Depends: {depends}")

    def test_3_ping_reaches_the_test_servers(self):
        result = sh("/usr/bin/wwctl", "ping", "-o", "json", check=False,
                    env=user_env(REDIS_URL=REDIS_URL, DATABASE_URL=DATABASE_URL))
        self.assertEqual(result.returncode, 0, result.stderr)
        answer = json.loads(result.stdout)
        self.assertTrue(answer["redis"]["ok"])
        self.assertTrue(answer["postgres"]["ok"])

    def test_4_version_names_the_commit_and_the_libraries(self):
        text = sh("/usr/bin/wwctl", "--version", "-v").stdout
        lines = text.splitlines()
        head = sh("git", "-C", ROOT, "rev-parse", "--short=12", "HEAD", check=False).stdout.strip()
        if head:
            self.assertRegex(lines[0], rf"^wwctl \d+\.\d+\.\d+ \(commit {head}( with uncommitted changes)?\)$")
        self.assertRegex(lines[1], r"^hiredis 0\.14 \(the version in the loaded file's name, /\S+/libhiredis\.so\.0\.14;")
        self.assertRegex(lines[2], r"^libpq \d+\.\d+ \(PQlibVersion\(\) of /\S+/libpq\.so\.5")
        self.assertRegex(lines[3], r"^OpenSSL 3\.")

    def test_5_man_finds_the_page(self):
        result = sh("man", "-w", "wwctl", env=user_env(MANPATH=""))
        self.assertEqual(result.stdout.strip(), "/usr/share/man/man1/wwctl.1.gz")
        # Each command's page by its file name.
        warm = sh("man", "-w", "wwctl-cache-warm", env=user_env(MANPATH=""))
        self.assertEqual(warm.stdout.strip(), "/usr/share/man/man1/wwctl-cache-warm.1.gz")
        # The page renders without errors from man itself.
        rendered = sh("man", "-P", "cat", "wwctl", env=user_env(MANWIDTH="80", MAN_KEEP_FORMATTING="0"))
        self.assertIn("wwctl", rendered.stdout)

    def test_6_bash_completes_in_a_fresh_login_shell(self):
        import pexpect
        env = {"HOME": self.home, "TERM": "dumb", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
        shell = pexpect.spawn("bash", ["--login", "-i"], env=env, encoding="utf-8", timeout=30,
                              dimensions=(24, 200))
        try:
            shell.sendline("PS1='ready> '")
            shell.expect_exact("ready> ")
            shell.expect_exact("ready> ")
            # Tab after `wwctl ca`, then Ctrl-A and `echo LINE:` before it: the shell prints
            # the line as completion left it.
            shell.send("wwctl ca\t")
            shell.send("\x01echo LINE: \r")
            shell.expect(r"\nLINE: (.*?)\r?\n")
            self.assertEqual(shell.match.group(1).rstrip(), "wwctl cache")
            shell.expect_exact("ready> ")
            # It came from the installed file, loaded on demand by bash-completion.
            shell.sendline("complete -p wwctl; echo DONE")
            shell.expect(r"\n(complete .*? wwctl)\r?\n")
            self.assertIn("-F _wwctl", shell.match.group(1))
        finally:
            shell.sendline("exit")
            shell.close(force=True)

    def test_7_remove_and_purge_leave_nothing_behind(self):
        files = getattr(self, "files", None) or sh("dpkg", "-L", "wwctl").stdout.split("\n")
        apt_get("remove", "wwctl")
        self.assertFalse(installed())
        left = [f for f in files if not os.path.isdir(f) and os.path.lexists(f)]
        self.assertEqual(left, [], "apt-get remove left files")
        # wwctl has no configuration files, so remove already forgot it; purge is then a no-op
        # for dpkg and apt-get does not know the name any more.
        status = sh("dpkg-query", "-W", "-f=${Status}", "wwctl", check=False).stdout
        if status.endswith("config-files"):
            apt_get("purge", "wwctl")
        sh("dpkg", "--purge", "wwctl")
        self.assertNotIn("wwctl", sh("dpkg-query", "-W", "-f=${Package}\n", check=False).stdout.split("\n"))
        after = snapshot()
        # Only what is not another package's (another install may run on a shared machine).
        added = sorted(p for p in after - self.before if owner(p) is None)
        removed = sorted(p for p in self.before - after if "wwctl" in p or owner(p) is None)
        self.assertEqual(added, [], "left behind after purge")
        self.assertEqual(removed, [], "gone after purge that was there before the install")


if __name__ == "__main__":
    unittest.main()
