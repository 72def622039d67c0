//! Black-box tests through the real worker (wrangler dev, local D1 and KV).

mod admin;
mod blocks;
mod certificates;
mod course_tools;
mod courses;
mod drip;
mod embeds;
mod hardening;
mod imports;
mod login;
mod login_flows;
mod migrations;
mod offer_levels;
mod offers;
mod payments;
mod player;
mod mail;
mod media;
mod merge;
mod schools;
mod security;
mod student_paths;
mod students;
mod tasks;
mod uploads;
mod team;
