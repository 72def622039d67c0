//! Statuses and kinds exist on both sides of the database: an enum in Rust, a CHECK
//! constraint in the schema. This reads the migrations and fails when a column's list in
//! the latest constraint differs from the values the code knows.

use app::features::drip::rules::{CLOSE_RULES, OPEN_RULES};
use app::features::offers::levels::{Includes, ItemKind, Reviews};
use app::features::offers::rules::{AccessKind, Currency, OfferStatus, RequestStatus};
use app::features::payments::rules::{CouponKind, OrderStatus};
use app::features::tasks::rules::{AnswerKind, TaskKind};
use app::kernel::access::{Role, Status};
use app::kernel::states::*;
use std::collections::BTreeSet;

fn texts<T: Copy>(all: &[T], text: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| text(*v)).collect()
}

/// Every column with a closed set of values, and the values the code knows.
fn checked_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (SchoolStatus::COLUMN, texts(SchoolStatus::ALL, SchoolStatus::as_str)),
        (UnknownEmailPolicy::COLUMN, texts(UnknownEmailPolicy::ALL, UnknownEmailPolicy::as_str)),
        ("users.role", texts(Role::ALL, Role::as_str)),
        (AccountStatus::COLUMN, texts(AccountStatus::ALL, AccountStatus::as_str)),
        ("courses.status", texts(Status::ALL, Status::as_str)),
        (AccessMode::COLUMN, texts(AccessMode::ALL, AccessMode::as_str)),
        (ProgramLayout::COLUMN, texts(ProgramLayout::ALL, ProgramLayout::as_str)),
        ("lessons.status", texts(Status::ALL, Status::as_str)),
        ("lessons.open_rule", OPEN_RULES.to_vec()),
        ("lessons.close_rule", CLOSE_RULES.to_vec()),
        (EnrollmentStatus::COLUMN, texts(EnrollmentStatus::ALL, EnrollmentStatus::as_str)),
        (OutboxStatus::COLUMN, texts(OutboxStatus::ALL, OutboxStatus::as_str)),
        (ImportStatus::COLUMN, texts(ImportStatus::ALL, ImportStatus::as_str)),
        ("submissions.kind", texts(TaskKind::ALL, TaskKind::as_str)),
        (SubmissionStatus::COLUMN, texts(SubmissionStatus::ALL, SubmissionStatus::as_str)),
        ("lesson_tasks.kind", texts(TaskKind::ALL, TaskKind::as_str)),
        ("lesson_tasks.answer_kind", texts(AnswerKind::ALL, AnswerKind::as_str)),
        (LoginPurpose::COLUMN, texts(LoginPurpose::ALL, LoginPurpose::as_str)),
        (Currency::COLUMN, texts(Currency::ALL, Currency::as_str)),
        (AccessKind::COLUMN, texts(AccessKind::ALL, AccessKind::as_str)),
        (OfferStatus::COLUMN, texts(OfferStatus::ALL, OfferStatus::as_str)),
        (RequestStatus::COLUMN, texts(RequestStatus::ALL, RequestStatus::as_str)),
        (OrderStatus::COLUMN, texts(OrderStatus::ALL, OrderStatus::as_str)),
        (CouponKind::COLUMN, texts(CouponKind::ALL, CouponKind::as_str)),
        ("school_payments.currency", texts(Currency::ALL, Currency::as_str)),
        (Includes::COLUMN, texts(Includes::ALL, Includes::as_str)),
        (Reviews::COLUMN, texts(Reviews::ALL, Reviews::as_str)),
        (ItemKind::COLUMN, texts(ItemKind::ALL, ItemKind::as_str)),
        (app::features::media::rules::Use::COLUMN, texts(app::features::media::rules::Use::ALL, app::features::media::rules::Use::as_str)),
        (NotificationKind::COLUMN, texts(NotificationKind::ALL, NotificationKind::as_str)),
    ]
}

/// The values of `CONSTRAINT "table.column" CHECK (column IN ('a', 'b'))`, from the last
/// migration that names the constraint.
fn constraint(migrations: &[String], column: &str) -> Option<BTreeSet<String>> {
    let marker = format!("CONSTRAINT \"{column}\" CHECK (");
    let sql = migrations.iter().rev().find(|m| m.contains(&marker))?;
    let after = &sql[sql.find(&marker)? + marker.len()..];
    let list = &after[after.find(" IN (")? + " IN (".len()..];
    let list = &list[..list.find(')')?];
    Some(list.split(',').map(|v| v.trim().trim_matches('\'').to_string()).collect())
}

fn migrations() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("migrations").flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).expect("readable migration")).collect()
}

#[test]
fn every_closed_column_has_the_same_values_in_rust_and_in_its_check_constraint() {
    let migrations = migrations();
    let mut problems = vec![];
    for (column, values) in checked_columns() {
        let code: BTreeSet<String> = values.iter().map(|v| v.to_string()).collect();
        match constraint(&migrations, column) {
            None => problems.push(format!("{column}: no CHECK constraint")),
            Some(schema) if schema != code => problems.push(format!("{column}: schema {schema:?}, code {code:?}")),
            Some(_) => {}
        }
    }
    println!("{} columns checked on both sides", checked_columns().len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_constraint_reader_reads_the_last_list() {
    let migrations = vec![
        "CONSTRAINT \"t.status\" CHECK (status IN ('a', 'b'))".to_string(),
        "x TEXT, CONSTRAINT \"t.status\" CHECK (status IN ('a', 'b', 'c'))".to_string(),
    ];
    assert_eq!(constraint(&migrations, "t.status"), Some(["a", "b", "c"].iter().map(|s| s.to_string()).collect()));
    assert_eq!(constraint(&migrations, "t.kind"), None);
}
