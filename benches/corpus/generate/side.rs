//! The side file of pre-split turns (`turns.bin`) that the bare-tantivy
//! baseline indexes.
//!
//! A document record: 0u8, path, id, attribute count (u32), attribute terms.
//! A turn record: 1u8, turn (u64), speaker and role (u8 flag + string), body,
//! start (u64). Strings are a u32 byte length and UTF-8 bytes.

use std::io::Read;

use crate::BoxResult;

pub enum Record {
    Doc {
        path: String,
        id: String,
        attrs: Vec<String>,
    },
    Turn {
        turn: u64,
        speaker: Option<String>,
        role: Option<String>,
        body: String,
        start: u64,
    },
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
        None => out.push(0),
    }
}

pub fn encode(r: &Record, out: &mut Vec<u8>) {
    match r {
        Record::Doc { path, id, attrs } => {
            out.push(0);
            put_str(out, path);
            put_str(out, id);
            out.extend_from_slice(&(attrs.len() as u32).to_le_bytes());
            for a in attrs {
                put_str(out, a);
            }
        }
        Record::Turn {
            turn,
            speaker,
            role,
            body,
            start,
        } => {
            out.push(1);
            out.extend_from_slice(&turn.to_le_bytes());
            put_opt(out, speaker.as_deref());
            put_opt(out, role.as_deref());
            put_str(out, body);
            out.extend_from_slice(&start.to_le_bytes());
        }
    }
}

pub struct SideReader<R: Read> {
    r: R,
}

impl<R: Read> SideReader<R> {
    pub fn new(r: R) -> SideReader<R> {
        SideReader { r }
    }

    fn u8(&mut self) -> std::io::Result<u8> {
        let mut b = [0u8; 1];
        self.r.read_exact(&mut b)?;
        Ok(b[0])
    }
    fn u32(&mut self) -> std::io::Result<u32> {
        let mut b = [0u8; 4];
        self.r.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> std::io::Result<u64> {
        let mut b = [0u8; 8];
        self.r.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn string(&mut self) -> BoxResult<String> {
        let n = self.u32()? as usize;
        let mut b = vec![0u8; n];
        self.r.read_exact(&mut b)?;
        Ok(String::from_utf8(b)?)
    }
    fn opt(&mut self) -> BoxResult<Option<String>> {
        Ok(match self.u8()? {
            0 => None,
            _ => Some(self.string()?),
        })
    }

    pub fn next(&mut self) -> BoxResult<Option<Record>> {
        let tag = match self.u8() {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some(match tag {
            0 => {
                let path = self.string()?;
                let id = self.string()?;
                let n = self.u32()?;
                let attrs = (0..n)
                    .map(|_| self.string())
                    .collect::<BoxResult<Vec<_>>>()?;
                Record::Doc { path, id, attrs }
            }
            _ => Record::Turn {
                turn: self.u64()?,
                speaker: self.opt()?,
                role: self.opt()?,
                body: self.string()?,
                start: self.u64()?,
            },
        }))
    }
}
