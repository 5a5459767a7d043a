//! Running ssmgo under a pseudo-terminal, as a person would: read the screen, type keys.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Written to the terminal after the program ended, to know when all its output has been read
/// (an OSC sequence: [`Pty::text`] would drop it even if it stayed).
const DRAINED: &str = "\x1b]ssmgo-test-drained\x07";

pub struct Pty {
    master: std::fs::File,
    /// Kept open to inspect the terminal's modes after the child is gone.
    slave: OwnedFd,
    screen: Arc<Mutex<Vec<u8>>>,
    child: Child,
}

impl Pty {
    /// Starts `cmd` with a new pseudo-terminal (120×30) as its controlling terminal and its
    /// stdin, stdout and stderr.
    pub fn spawn(cmd: &mut Command) -> Pty {
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: 30,
            ws_col: 120,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: plain FFI with valid out-pointers.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: openpty returned two fresh descriptors that we now own.
        let (master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                OwnedFd::from_raw_fd(slave),
            )
        };
        let fd = || Stdio::from(slave.try_clone().unwrap());
        cmd.stdin(fd()).stdout(fd()).stderr(fd());
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid and ioctl are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn under a pty");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            slave,
            screen,
            child,
        }
    }

    /// Resizes the terminal, as a window being resized does: the kernel tells the program with
    /// SIGWINCH.
    pub fn resize(&self, cols: u16, rows: u16) {
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ with a valid winsize on the master we own.
        let rc = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(rc, 0, "TIOCSWINSZ failed");
    }

    /// The process id of the program under the terminal.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything written to the terminal so far, lossily decoded.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// The text written so far without escape sequences (colours split words on screen).
    pub fn text(&self) -> String {
        let raw = self.screen();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\x1b' {
                out.push(c);
                continue;
            }
            match chars.next() {
                // CSI: parameters, then one final byte in @..~
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ST
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The screen as a terminal would show it, for programs that draw by moving the cursor
    /// (elvish writes a line one cell at a time): carriage return, line feed, backspace, cursor
    /// moves and erasing are followed; other sequences are dropped.
    pub fn rendered(&self) -> String {
        let raw = self.screen();
        let mut rows: Vec<Vec<char>> = vec![Vec::new()];
        let (mut row, mut col) = (0usize, 0usize);
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => col = 0,
                '\n' => row += 1,
                '\x08' => col = col.saturating_sub(1),
                '\x1b' => {
                    if chars.next_if_eq(&'[').is_none() {
                        chars.next();
                        continue;
                    }
                    let mut params = String::new();
                    let mut last = ' ';
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            last = c;
                            break;
                        }
                        params.push(c);
                    }
                    let n = params.parse::<usize>().unwrap_or(1).max(1);
                    match last {
                        'C' => col += n,
                        'D' => col = col.saturating_sub(n),
                        'A' => row = row.saturating_sub(n),
                        'B' => row += n,
                        'K' => {
                            if let Some(line) = rows.get_mut(row) {
                                line.truncate(col);
                            }
                        }
                        'J' => rows.truncate(row + 1),
                        _ => {}
                    }
                }
                c if !c.is_control() => {
                    while rows.len() <= row {
                        rows.push(Vec::new());
                    }
                    let line = &mut rows[row];
                    while line.len() <= col {
                        line.push(' ');
                    }
                    line[col] = c;
                    col += 1;
                }
                _ => {}
            }
            while rows.len() <= row {
                rows.push(Vec::new());
            }
        }
        rows.iter()
            .map(|r| r.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The last part of the plain text, for failure messages.
    pub fn tail(&self) -> String {
        let text = self.text();
        let start = text.len().saturating_sub(1500);
        let start = (start..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text[start..].to_owned()
    }

    /// Waits until `text` has been written to the terminal (as a stream, or as drawn).
    #[track_caller]
    pub fn wait_for(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.text().contains(text) || self.rendered().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{text:?} never appeared on the terminal; it ends with:\n{}",
            self.tail()
        );
    }

    /// Types `keys`, one at a time, as a person would.
    pub fn type_keys(&mut self, keys: &str) {
        for b in keys.bytes() {
            self.master.write_all(&[b]).unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Waits for the program to end.
    #[track_caller]
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain(timeout);
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!(
            "the program did not end; the terminal ends with:\n{}",
            self.tail()
        );
    }

    /// Waits until the reader has taken all that the program wrote: a marker written to the
    /// terminal after the program ended reaches the master after all of its output (the
    /// terminal is first in, first out), and is taken out again. A fixed pause would not be
    /// enough on a busy machine.
    #[track_caller]
    fn drain(&self, timeout: Duration) {
        std::fs::File::from(self.slave.try_clone().unwrap())
            .write_all(DRAINED.as_bytes())
            .expect("writing to the terminal");
        let start = Instant::now();
        loop {
            {
                let mut screen = self.screen.lock().unwrap();
                if let Some(at) = screen
                    .windows(DRAINED.len())
                    .position(|w| w == DRAINED.as_bytes())
                {
                    screen.drain(at..at + DRAINED.len());
                    return;
                }
            }
            assert!(
                start.elapsed() < timeout,
                "the program's last output was never read from the terminal"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Ends the program (a shell that has shown what was wanted, say).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// True when the terminal is back in cooked mode with echo (no raw mode left behind).
    pub fn terminal_is_cooked(&self) -> bool {
        // SAFETY: tcgetattr fills the struct we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(
            unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) },
            0
        );
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
