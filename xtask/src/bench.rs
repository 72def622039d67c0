pub fn run() -> crate::Result { Err("bench: not yet".into()) }
