//! Daily placement counts, kept up to date in the transaction that decides a placement, so
//! that reports read a few rows per day instead of every placement. Placements and seed-list
//! messages gain the sender's domain, a dimension of the reports. The same counts per month, and
//! per organization without the mailbox, split, test and domain, serve long and wide reports.
//! Existing rows are counted into the rollups here.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, prelude::Uuid};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every dimension of the fine rollup, in its primary key's order. A dimension a source does
/// not have holds the nil UUID or an empty string: a primary key needs values, and SQLite has
/// no `NULLS NOT DISTINCT`.
const FINE_KEY: [&str; 9] = [
    "organization_id",
    "day",
    "source",
    "mailbox_id",
    "split_id",
    "test_id",
    "domain",
    "provider",
    "class",
];
const ORG_KEY: [&str; 5] = ["organization_id", "day", "source", "provider", "class"];

fn org_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, "organization_id")
        .to("organizations", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// The part of an address after its last `@`, lower-cased, in the backend's SQL.
fn domain_of(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("lower(split_part({col}, '@', -1))"),
        _ => format!("lower(substr({col}, instr({col}, '@') + 1))"),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();

        for table in ["placements", "seed_list_messages"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string("domain").default(""))
                        .to_owned(),
                )
                .await?;
        }
        db.execute_unprepared(&format!(
            "UPDATE placements SET domain = COALESCE((SELECT {} FROM mailboxes m \
             WHERE m.id = placements.mailbox_id), '')",
            domain_of(backend, "m.email")
        ))
        .await?;
        db.execute_unprepared(&format!(
            "UPDATE seed_list_messages SET domain = {}",
            domain_of(backend, "sender")
        ))
        .await?;

        let mut fine = Table::create()
            .table("placement_rollups")
            .col(uuid("organization_id"))
            .col(string_len("day", 10))
            .col(string("source"))
            .col(uuid("mailbox_id"))
            .col(uuid("split_id"))
            .col(uuid("test_id"))
            .col(string("domain"))
            .col(string("provider"))
            .col(string("class"))
            .col(big_integer("n"))
            .foreign_key(&mut org_fk("placement_rollups"))
            .to_owned();
        let mut pk = Index::create().name("pk_placement_rollups").to_owned();
        for c in FINE_KEY {
            pk.col(c);
        }
        fine.primary_key(&mut pk);
        manager.create_table(fine).await?;
        for (name, cols) in [
            (
                "idx_placement_rollups_mailbox",
                &["organization_id", "mailbox_id", "day"][..],
            ),
            (
                "idx_placement_rollups_domain",
                &["organization_id", "domain", "day"][..],
            ),
            (
                "idx_placement_rollups_split",
                &["organization_id", "split_id", "day"][..],
            ),
            (
                "idx_placement_rollups_test",
                &["organization_id", "test_id", "day"][..],
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table("placement_rollups")
                .to_owned();
            for c in cols {
                index.col(*c);
            }
            manager.create_index(index).await?;
        }

        // The same per month, so that a report over many months reads few rows per group.
        let mut months = Table::create()
            .table("placement_month_rollups")
            .col(uuid("organization_id"))
            .col(string_len("month", 7))
            .col(string("source"))
            .col(uuid("mailbox_id"))
            .col(uuid("split_id"))
            .col(uuid("test_id"))
            .col(string("domain"))
            .col(string("provider"))
            .col(string("class"))
            .col(big_integer("n"))
            .foreign_key(&mut org_fk("placement_month_rollups"))
            .to_owned();
        let mut pk = Index::create()
            .name("pk_placement_month_rollups")
            .to_owned();
        pk.col("organization_id").col("month");
        for c in &FINE_KEY[2..] {
            pk.col(*c);
        }
        months.primary_key(&mut pk);
        manager.create_table(months).await?;

        let mut org = Table::create()
            .table("placement_org_rollups")
            .col(uuid("organization_id"))
            .col(string_len("day", 10))
            .col(string("source"))
            .col(string("provider"))
            .col(string("class"))
            .col(big_integer("n"))
            .foreign_key(&mut org_fk("placement_org_rollups"))
            .to_owned();
        let mut pk = Index::create().name("pk_placement_org_rollups").to_owned();
        for c in ORG_KEY {
            pk.col(c);
        }
        org.primary_key(&mut pk);
        manager.create_table(org).await?;

        // What is there already, counted once.
        let nil = || Expr::val(Uuid::nil());
        let warmup = Query::select()
            .from("placements")
            .column("organization_id")
            .column("plan_date")
            .expr(Expr::val("warmup"))
            .column("mailbox_id")
            .expr(nil())
            .expr(nil())
            .column("domain")
            .column("provider")
            .expr(Expr::cust("COALESCE(class, 'pending')"))
            .expr(Expr::cust("COUNT(*)"))
            .group_by_columns([
                "organization_id",
                "plan_date",
                "mailbox_id",
                "domain",
                "provider",
            ])
            .add_group_by([Expr::cust("COALESCE(class, 'pending')")])
            .to_owned();
        let day = match backend {
            DbBackend::Postgres => "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            // Stored as text that starts with the UTC date.
            _ => "substr(created_at, 1, 10)",
        };
        let seed_list = Query::select()
            .from("seed_list_messages")
            .column("organization_id")
            .expr(Expr::cust(day))
            .expr(Expr::val("seed_list"))
            .expr(nil())
            .column("split_id")
            .expr(nil())
            .column("domain")
            .column("provider")
            .column("class")
            .expr(Expr::cust("COUNT(*)"))
            .group_by_columns(["organization_id", "split_id", "domain", "provider", "class"])
            .add_group_by([Expr::cust(day)])
            .to_owned();
        let mut cols = FINE_KEY.to_vec();
        cols.push("n");
        for select in [warmup, seed_list] {
            let insert = Query::insert()
                .into_table("placement_rollups")
                .columns(cols.iter().copied())
                .select_from(select)
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        let dims = FINE_KEY[2..].join(", ");
        db.execute_unprepared(&format!(
            "INSERT INTO placement_month_rollups (organization_id, month, {dims}, n) \
             SELECT organization_id, substr(day, 1, 7), {dims}, SUM(n) FROM placement_rollups \
             GROUP BY organization_id, substr(day, 1, 7), {dims}"
        ))
        .await?;
        let keys = ORG_KEY.join(", ");
        db.execute_unprepared(&format!(
            "INSERT INTO placement_org_rollups ({keys}, n) \
             SELECT {keys}, SUM(n) FROM placement_rollups GROUP BY {keys}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "placement_org_rollups",
            "placement_month_rollups",
            "placement_rollups",
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        for table in ["placements", "seed_list_messages"] {
            manager
                .alter_table(Table::alter().table(table).drop_column("domain").to_owned())
                .await?;
        }
        Ok(())
    }
}
